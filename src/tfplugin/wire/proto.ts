import type { INamespace, Root } from 'protobufjs/light';

/**
 * Our own definitions of the tfplugin6.8 messages this provider uses, and go-plugin's controller,
 * in protobufjs's JSON descriptor form: loading them needs no .proto parsing at start-up.
 * Field names and numbers are the protocol's; messages we never use are left out.
 */
type Field = [id: number, type: string, rule?: 'repeated' | `map<${string}>`];

function message(
  fields: Record<string, Field>,
  nested?: Record<string, unknown>,
  oneofs?: Record<string, { oneof: string[] }>,
) {
  return {
    fields: Object.fromEntries(
      Object.entries(fields).map(([name, [id, type, rule]]) => {
        if (rule?.startsWith('map<')) return [name, { keyType: rule.slice(4, -1), type, id }];
        return [name, rule ? { rule, type, id } : { type, id }];
      }),
    ),
    ...(nested ? { nested } : {}),
    ...(oneofs ? { oneofs } : {}),
  };
}

const request = (fields: Record<string, Field>) => message(fields);
const rpc = (
  requestFields: Record<string, Field>,
  responseFields: Record<string, Field>,
  nested: Record<string, unknown> = {},
) => ({ nested: { Request: request(requestFields), Response: message(responseFields), ...nested } });

const diagnostics: Field = [0, 'Diagnostic', 'repeated'];
const withId = (field: Field, id: number): Field => [id, field[1], field[2]];

// A protocol table: one line per message reads like the .proto it follows.
// prettier-ignore
const tfplugin6 = {
  DynamicValue: message({ msgpack: [1, 'bytes'], json: [2, 'bytes'] }),
  Diagnostic: message(
    { severity: [1, 'Severity'], summary: [2, 'string'], detail: [3, 'string'], attribute: [4, 'AttributePath'] },
    { Severity: { values: { INVALID: 0, ERROR: 1, WARNING: 2 } } },
  ),
  AttributePath: message(
    { steps: [1, 'Step', 'repeated'] },
    {
      Step: message(
        { attribute_name: [1, 'string'], element_key_string: [2, 'string'], element_key_int: [3, 'int64'] },
        undefined,
        { selector: { oneof: ['attribute_name', 'element_key_string', 'element_key_int'] } },
      ),
    },
  ),
  StopProvider: rpc({}, { Error: [1, 'string'] }),
  RawState: message({ json: [1, 'bytes'], flatmap: [2, 'string', 'map<string>'] }),
  StringKind: { values: { PLAIN: 0, MARKDOWN: 1 } },
  Schema: message(
    { version: [1, 'int64'], block: [2, 'Block'] },
    {
      Block: message({
        version: [1, 'int64'], attributes: [2, 'Attribute', 'repeated'], block_types: [3, 'NestedBlock', 'repeated'],
        description: [4, 'string'], description_kind: [5, 'StringKind'], deprecated: [6, 'bool'],
      }),
      Attribute: message({
        name: [1, 'string'], type: [2, 'bytes'], description: [3, 'string'], required: [4, 'bool'], optional: [5, 'bool'],
        computed: [6, 'bool'], sensitive: [7, 'bool'], description_kind: [8, 'StringKind'], deprecated: [9, 'bool'], write_only: [11, 'bool'],
      }),
      NestedBlock: message(
        { type_name: [1, 'string'], block: [2, 'Block'], nesting: [3, 'NestingMode'], min_items: [4, 'int64'], max_items: [5, 'int64'] },
        { NestingMode: { values: { INVALID: 0, SINGLE: 1, LIST: 2, SET: 3, MAP: 4, GROUP: 5 } } },
      ),
    },
  ),
  ServerCapabilities: message({ plan_destroy: [1, 'bool'], get_provider_schema_optional: [2, 'bool'], move_resource_state: [3, 'bool'] }),
  ClientCapabilities: message({ deferral_allowed: [1, 'bool'], write_only_attributes_allowed: [2, 'bool'] }),
  GetProviderSchema: rpc({}, {
    provider: [1, 'Schema'], resource_schemas: [2, 'Schema', 'map<string>'], data_source_schemas: [3, 'Schema', 'map<string>'],
    diagnostics: withId(diagnostics, 4), provider_meta: [5, 'Schema'], server_capabilities: [6, 'ServerCapabilities'],
  }),
  ValidateProviderConfig: rpc({ config: [1, 'DynamicValue'] }, { diagnostics: withId(diagnostics, 2) }),
  UpgradeResourceState: rpc(
    { type_name: [1, 'string'], version: [2, 'int64'], raw_state: [3, 'RawState'] },
    { upgraded_state: [1, 'DynamicValue'], diagnostics: withId(diagnostics, 2) },
  ),
  ValidateResourceConfig: rpc({ type_name: [1, 'string'], config: [2, 'DynamicValue'] }, { diagnostics: withId(diagnostics, 1) }),
  ValidateDataResourceConfig: rpc({ type_name: [1, 'string'], config: [2, 'DynamicValue'] }, { diagnostics: withId(diagnostics, 1) }),
  ConfigureProvider: rpc(
    { terraform_version: [1, 'string'], config: [2, 'DynamicValue'], client_capabilities: [3, 'ClientCapabilities'] },
    { diagnostics: withId(diagnostics, 1) },
  ),
  ReadResource: rpc(
    { type_name: [1, 'string'], current_state: [2, 'DynamicValue'], private: [3, 'bytes'], provider_meta: [4, 'DynamicValue'], client_capabilities: [5, 'ClientCapabilities'] },
    { new_state: [1, 'DynamicValue'], diagnostics: withId(diagnostics, 2), private: [3, 'bytes'] },
  ),
  PlanResourceChange: rpc(
    {
      type_name: [1, 'string'], prior_state: [2, 'DynamicValue'], proposed_new_state: [3, 'DynamicValue'], config: [4, 'DynamicValue'],
      prior_private: [5, 'bytes'], provider_meta: [6, 'DynamicValue'], client_capabilities: [7, 'ClientCapabilities'],
    },
    { planned_state: [1, 'DynamicValue'], requires_replace: [2, 'AttributePath', 'repeated'], planned_private: [3, 'bytes'], diagnostics: withId(diagnostics, 4) },
  ),
  ApplyResourceChange: rpc(
    {
      type_name: [1, 'string'], prior_state: [2, 'DynamicValue'], planned_state: [3, 'DynamicValue'], config: [4, 'DynamicValue'],
      planned_private: [5, 'bytes'], provider_meta: [6, 'DynamicValue'],
    },
    { new_state: [1, 'DynamicValue'], private: [2, 'bytes'], diagnostics: withId(diagnostics, 3) },
  ),
  ImportResourceState: rpc(
    { type_name: [1, 'string'], id: [2, 'string'], client_capabilities: [3, 'ClientCapabilities'] },
    { imported_resources: [1, 'ImportedResource', 'repeated'], diagnostics: withId(diagnostics, 2) },
    { ImportedResource: message({ type_name: [1, 'string'], state: [2, 'DynamicValue'], private: [3, 'bytes'] }) },
  ),
  MoveResourceState: rpc(
    {
      source_provider_address: [1, 'string'], source_type_name: [2, 'string'], source_schema_version: [3, 'int64'],
      source_state: [4, 'RawState'], target_type_name: [5, 'string'], source_private: [6, 'bytes'],
    },
    { target_state: [1, 'DynamicValue'], diagnostics: withId(diagnostics, 2), target_private: [3, 'bytes'] },
  ),
  ReadDataSource: rpc(
    { type_name: [1, 'string'], config: [2, 'DynamicValue'], provider_meta: [3, 'DynamicValue'], client_capabilities: [4, 'ClientCapabilities'] },
    { state: [1, 'DynamicValue'], diagnostics: withId(diagnostics, 2) },
  ),
};

/** The RPCs of `tfplugin6.Provider` that this layer serves. */
export const PROVIDER_RPCS = [
  'GetProviderSchema',
  'ValidateProviderConfig',
  'ValidateResourceConfig',
  'ValidateDataResourceConfig',
  'UpgradeResourceState',
  'ConfigureProvider',
  'ReadResource',
  'PlanResourceChange',
  'ApplyResourceChange',
  'ImportResourceState',
  'MoveResourceState',
  'ReadDataSource',
  'StopProvider',
] as const;
export type ProviderRpc = (typeof PROVIDER_RPCS)[number];

/**
 * Requests and responses as protobufjs plain objects, with the protocol's snake_case names: typed
 * by the message descriptors above at run time, not by TypeScript.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Message = Record<string, any>;
export type ProviderHandlers = Record<ProviderRpc, (request: Message) => Promise<Message>>;

let root: Root | undefined;

/**
 * Built on first use, so that the handshake line is printed before this work is done; protobufjs
 * itself is loaded here too, since setting up its modules costs start-up time as well.
 */
export function protocol(): Root {
  root ??= (require('protobufjs/light') as typeof import('protobufjs/light')).Root.fromJSON(<INamespace>{
    nested: {
      tfplugin6: { nested: tfplugin6 },
      plugin: { nested: { Empty: message({}) } },
    },
  });
  return root;
}
