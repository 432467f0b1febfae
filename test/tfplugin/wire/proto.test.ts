import test from 'ava';
import type { Enum, Namespace, Type } from 'protobufjs/light';
import { withDiagnostics } from '../../../src/tfplugin/framework/rpc/provider';
import { PROVIDER_RPCS, type RequestOf, type ResponseOf, rpcCodecs } from '../../../src/tfplugin/wire/proto';
import { reference } from '../../helpers/protobufjs';

/**
 * Facts from hashicorp/terraform's docs/plugin-protocol/tfplugin6.8.proto, for the messages this
 * provider uses, written here field by field as the .proto declares them (fields the provider does
 * not use may be left out; a field it uses must be here, with the same number, type and label).
 */
const TFPLUGIN6_8: Record<string, string> = {
  DynamicValue: 'bytes msgpack = 1; bytes json = 2',
  Diagnostic: 'Severity severity = 1; string summary = 2; string detail = 3; AttributePath attribute = 4',
  'Diagnostic.Severity': 'INVALID = 0; ERROR = 1; WARNING = 2',
  AttributePath: 'repeated Step steps = 1',
  'AttributePath.Step': 'string attribute_name = 1; string element_key_string = 2; int64 element_key_int = 3',
  'StopProvider.Request': '',
  'StopProvider.Response': 'string Error = 1',
  RawState: 'bytes json = 1; map<string, string> flatmap = 2',
  StringKind: 'PLAIN = 0; MARKDOWN = 1',
  Schema: 'int64 version = 1; Block block = 2',
  'Schema.Block':
    'int64 version = 1; repeated Attribute attributes = 2; repeated NestedBlock block_types = 3; ' +
    'string description = 4; StringKind description_kind = 5; bool deprecated = 6',
  'Schema.Attribute':
    'string name = 1; bytes type = 2; Object nested_type = 10; string description = 3; bool required = 4; ' +
    'bool optional = 5; bool computed = 6; bool sensitive = 7; StringKind description_kind = 8; ' +
    'bool deprecated = 9; bool write_only = 11',
  'Schema.NestedBlock':
    'string type_name = 1; Block block = 2; NestingMode nesting = 3; int64 min_items = 4; int64 max_items = 5',
  'Schema.NestedBlock.NestingMode': 'INVALID = 0; SINGLE = 1; LIST = 2; SET = 3; MAP = 4; GROUP = 5',
  ServerCapabilities: 'bool plan_destroy = 1; bool get_provider_schema_optional = 2; bool move_resource_state = 3',
  ClientCapabilities: 'bool deferral_allowed = 1; bool write_only_attributes_allowed = 2',
  'GetProviderSchema.Request': '',
  'GetProviderSchema.Response':
    'Schema provider = 1; map<string, Schema> resource_schemas = 2; map<string, Schema> data_source_schemas = 3; ' +
    'map<string, Function> functions = 7; map<string, Schema> ephemeral_resource_schemas = 8; ' +
    'repeated Diagnostic diagnostics = 4; Schema provider_meta = 5; ServerCapabilities server_capabilities = 6',
  'ValidateProviderConfig.Request': 'DynamicValue config = 1',
  'ValidateProviderConfig.Response': 'repeated Diagnostic diagnostics = 2',
  'UpgradeResourceState.Request': 'string type_name = 1; int64 version = 2; RawState raw_state = 3',
  'UpgradeResourceState.Response': 'DynamicValue upgraded_state = 1; repeated Diagnostic diagnostics = 2',
  'ValidateResourceConfig.Request': 'string type_name = 1; DynamicValue config = 2',
  'ValidateResourceConfig.Response': 'repeated Diagnostic diagnostics = 1',
  'ValidateDataResourceConfig.Request': 'string type_name = 1; DynamicValue config = 2',
  'ValidateDataResourceConfig.Response': 'repeated Diagnostic diagnostics = 1',
  'ConfigureProvider.Request':
    'string terraform_version = 1; DynamicValue config = 2; ClientCapabilities client_capabilities = 3',
  'ConfigureProvider.Response': 'repeated Diagnostic diagnostics = 1',
  'ReadResource.Request':
    'string type_name = 1; DynamicValue current_state = 2; bytes private = 3; DynamicValue provider_meta = 4; ' +
    'ClientCapabilities client_capabilities = 5',
  'ReadResource.Response':
    'DynamicValue new_state = 1; repeated Diagnostic diagnostics = 2; bytes private = 3; Deferred deferred = 4',
  'PlanResourceChange.Request':
    'string type_name = 1; DynamicValue prior_state = 2; DynamicValue proposed_new_state = 3; ' +
    'DynamicValue config = 4; bytes prior_private = 5; DynamicValue provider_meta = 6; ' +
    'ClientCapabilities client_capabilities = 7',
  'PlanResourceChange.Response':
    'DynamicValue planned_state = 1; repeated AttributePath requires_replace = 2; bytes planned_private = 3; ' +
    'repeated Diagnostic diagnostics = 4; bool legacy_type_system = 5; Deferred deferred = 6',
  'ApplyResourceChange.Request':
    'string type_name = 1; DynamicValue prior_state = 2; DynamicValue planned_state = 3; DynamicValue config = 4; ' +
    'bytes planned_private = 5; DynamicValue provider_meta = 6',
  'ApplyResourceChange.Response':
    'DynamicValue new_state = 1; bytes private = 2; repeated Diagnostic diagnostics = 3; bool legacy_type_system = 4',
  'ImportResourceState.Request': 'string type_name = 1; string id = 2; ClientCapabilities client_capabilities = 3',
  'ImportResourceState.ImportedResource': 'string type_name = 1; DynamicValue state = 2; bytes private = 3',
  'ImportResourceState.Response':
    'repeated ImportedResource imported_resources = 1; repeated Diagnostic diagnostics = 2; Deferred deferred = 3',
  'MoveResourceState.Request':
    'string source_provider_address = 1; string source_type_name = 2; int64 source_schema_version = 3; ' +
    'RawState source_state = 4; string target_type_name = 5; bytes source_private = 6',
  'MoveResourceState.Response':
    'DynamicValue target_state = 1; repeated Diagnostic diagnostics = 2; bytes target_private = 3',
  'ReadDataSource.Request':
    'string type_name = 1; DynamicValue config = 2; DynamicValue provider_meta = 3; ' +
    'ClientCapabilities client_capabilities = 4',
  'ReadDataSource.Response': 'DynamicValue state = 1; repeated Diagnostic diagnostics = 2; Deferred deferred = 3',
};

/** The RPCs of `service Provider` in tfplugin6.8, in its order. */
const PROVIDER_SERVICE = (
  'GetMetadata GetProviderSchema ValidateProviderConfig ValidateResourceConfig ValidateDataResourceConfig ' +
  'UpgradeResourceState ConfigureProvider ReadResource PlanResourceChange ApplyResourceChange ImportResourceState ' +
  'MoveResourceState ReadDataSource ValidateEphemeralResourceConfig OpenEphemeralResource RenewEphemeralResource ' +
  'CloseEphemeralResource GetFunctions CallFunction StopProvider'
).split(' ');

/** One declaration as written in the .proto: `repeated Step steps = 1`, `map<string, Schema> x = 2`, `ERROR = 1`. */
function declarations(body: string): Map<string, string> {
  return new Map(
    body
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => [/(\w+) = \d+$/.exec(part)![1]!, part]),
  );
}

/** Our table's declaration of a field, in the same words. */
function declared(type: Type, name: string): string {
  const field = type.fields[name]!;
  const kind = field.map ? `map<${(field as unknown as { keyType: string }).keyType}, ${field.type}>` : field.type;
  return `${field.repeated ? 'repeated ' : ''}${kind} ${name} = ${field.id}`;
}

/** Every message and enum of our table, by its name inside the package. */
function definitions(namespace: Namespace, prefix = ''): Array<[string, Type | Enum]> {
  return (namespace.nestedArray ?? []).flatMap((child) => {
    const name = `${prefix}${child.name}`;
    const own: Array<[string, Type | Enum]> =
      'fields' in child || 'values' in child ? [[name, child as unknown as Type | Enum]] : [];
    return [...own, ...('nestedArray' in child ? definitions(child as Namespace, `${name}.`) : [])];
  });
}

test('every message, field and enum value of the protocol table is tfplugin6.8, number for number', (t) => {
  const ours = definitions(reference().lookup('tfplugin6') as Namespace);
  t.deepEqual(
    ours.map(([name]) => name).filter((name) => !(name in TFPLUGIN6_8)),
    [],
    'messages that tfplugin6.8 does not have',
  );
  for (const [name, definition] of ours) {
    const upstream = declarations(TFPLUGIN6_8[name]!);
    if ('fields' in definition) {
      for (const field of Object.keys(definition.fields))
        t.is(declared(definition, field), String(upstream.get(field)), `${name}.${field}`);
    } else {
      for (const [value, number] of Object.entries(definition.values))
        t.is(`${value} = ${number}`, String(upstream.get(value)), `${name}.${value}`);
      t.is(Object.keys(definition.values).length, upstream.size, `${name}: every value`);
    }
  }
});

test('every RPC served is one of tfplugin6.8, with its request and response', (t) => {
  for (const rpc of PROVIDER_RPCS) {
    t.true(PROVIDER_SERVICE.includes(rpc), rpc);
    // Encoding resolves every type name the request and response use.
    const [request, response] = rpcCodecs(rpc);
    t.is(request.encode({}).length + response.encode({}).length, 0, rpc);
  }
});

test('requests and responses are typed by the table: a mistyped field name does not compile', (t) => {
  const request: RequestOf<'ReadResource'> = { type_name: 'x', private: Buffer.from('{}') };
  // @ts-expect-error -- the protocol's name is current_state (`make typecheck` fails if this compiles)
  t.is(request.currentState, undefined);
  // @ts-expect-error -- a response field that does not exist
  const response: ResponseOf<'ReadResource'> = { new_stat: {} };
  // @ts-expect-error -- nor through the helper every handler answers with
  const helped: ResponseOf<'ReadResource'> = withDiagnostics([], { privat: request.private });
  // @ts-expect-error -- bytes are bytes
  const bytes: ResponseOf<'ReadResource'> = { private: '{}' };
  t.deepEqual([response, helped.diagnostics, bytes], [{ new_stat: {} }, [], { private: '{}' }]);
});
