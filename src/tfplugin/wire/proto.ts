import {
  type EnumSpec,
  type Field,
  type Fields,
  type MessageCodec,
  type MessageSpec,
  type Spec,
  messageOf,
} from './protobuf';

/**
 * Our own definitions of the tfplugin6.8 messages this provider uses: one table from which both the
 * codec (protobuf.ts, which reads it as it is) and the TypeScript types of every request and
 * response are derived. Field names and numbers are the protocol's (test/tfplugin/wire/proto.test.ts
 * checks them); messages we never use are left out.
 */

const message = <const F extends Fields, const N extends Readonly<Record<string, Spec>>>(
  fields: F,
  nested?: N,
  oneofs?: MessageSpec['oneofs'],
) => ({ fields, nested: nested ?? ({} as N), ...(oneofs ? { oneofs } : {}) });

const rpc = <const Q extends Fields, const S extends Fields, const N extends Readonly<Record<string, Spec>>>(
  requestFields: Q,
  responseFields: S,
  nested?: N,
) => ({ nested: { Request: message(requestFields), Response: message(responseFields), ...(nested ?? ({} as N)) } });

const diagnostics = <const I extends number>(id: I) => [id, 'Diagnostic', 'repeated'] as const;

// A protocol table: one line per message reads like the .proto it follows.
// prettier-ignore
export const TFPLUGIN6 = {
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
    diagnostics: diagnostics(4), provider_meta: [5, 'Schema'], server_capabilities: [6, 'ServerCapabilities'],
  }),
  ValidateProviderConfig: rpc({ config: [1, 'DynamicValue'] }, { diagnostics: diagnostics(2) }),
  UpgradeResourceState: rpc(
    { type_name: [1, 'string'], version: [2, 'int64'], raw_state: [3, 'RawState'] },
    { upgraded_state: [1, 'DynamicValue'], diagnostics: diagnostics(2) },
  ),
  ValidateResourceConfig: rpc({ type_name: [1, 'string'], config: [2, 'DynamicValue'] }, { diagnostics: diagnostics(1) }),
  ValidateDataResourceConfig: rpc({ type_name: [1, 'string'], config: [2, 'DynamicValue'] }, { diagnostics: diagnostics(1) }),
  ConfigureProvider: rpc(
    { terraform_version: [1, 'string'], config: [2, 'DynamicValue'], client_capabilities: [3, 'ClientCapabilities'] },
    { diagnostics: diagnostics(1) },
  ),
  ReadResource: rpc(
    { type_name: [1, 'string'], current_state: [2, 'DynamicValue'], private: [3, 'bytes'], provider_meta: [4, 'DynamicValue'], client_capabilities: [5, 'ClientCapabilities'] },
    { new_state: [1, 'DynamicValue'], diagnostics: diagnostics(2), private: [3, 'bytes'] },
  ),
  PlanResourceChange: rpc(
    {
      type_name: [1, 'string'], prior_state: [2, 'DynamicValue'], proposed_new_state: [3, 'DynamicValue'], config: [4, 'DynamicValue'],
      prior_private: [5, 'bytes'], provider_meta: [6, 'DynamicValue'], client_capabilities: [7, 'ClientCapabilities'],
    },
    { planned_state: [1, 'DynamicValue'], requires_replace: [2, 'AttributePath', 'repeated'], planned_private: [3, 'bytes'], diagnostics: diagnostics(4) },
  ),
  ApplyResourceChange: rpc(
    {
      type_name: [1, 'string'], prior_state: [2, 'DynamicValue'], planned_state: [3, 'DynamicValue'], config: [4, 'DynamicValue'],
      planned_private: [5, 'bytes'], provider_meta: [6, 'DynamicValue'],
    },
    { new_state: [1, 'DynamicValue'], private: [2, 'bytes'], diagnostics: diagnostics(3) },
  ),
  ImportResourceState: rpc(
    { type_name: [1, 'string'], id: [2, 'string'], client_capabilities: [3, 'ClientCapabilities'] },
    { imported_resources: [1, 'ImportedResource', 'repeated'], diagnostics: diagnostics(2) },
    { ImportedResource: message({ type_name: [1, 'string'], state: [2, 'DynamicValue'], private: [3, 'bytes'] }) },
  ),
  MoveResourceState: rpc(
    {
      source_provider_address: [1, 'string'], source_type_name: [2, 'string'], source_schema_version: [3, 'int64'],
      source_state: [4, 'RawState'], target_type_name: [5, 'string'], source_private: [6, 'bytes'],
    },
    { target_state: [1, 'DynamicValue'], diagnostics: diagnostics(2), target_private: [3, 'bytes'] },
  ),
  ReadDataSource: rpc(
    { type_name: [1, 'string'], config: [2, 'DynamicValue'], provider_meta: [3, 'DynamicValue'], client_capabilities: [4, 'ClientCapabilities'] },
    { state: [1, 'DynamicValue'], diagnostics: diagnostics(2) },
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

/** The wire's scalars as decoded messages hold them (int64 as numbers). */
interface Scalars {
  string: string;
  bytes: Uint8Array;
  int64: number;
  bool: boolean;
}
type Tfplugin6 = typeof TFPLUGIN6;
/** A type name resolves in the message's own nested types, then outwards; an enum is its numbers. */
type ValueOf<Name extends string, Scope> = Name extends keyof Scalars
  ? Scalars[Name]
  : Name extends keyof Scope
    ? Scope[Name] extends EnumSpec
      ? Scope[Name]['values'][keyof Scope[Name]['values']]
      : Scope[Name] extends MessageSpec
        ? PlainMessage<Scope[Name], Scope>
        : never
    : never;
type FieldValue<F extends Field, Scope> = F[2] extends 'repeated'
  ? ValueOf<F[1], Scope>[]
  : F[2] extends `map<${string}>`
    ? Record<string, ValueOf<F[1], Scope>>
    : ValueOf<F[1], Scope>;
/**
 * A message as a plain object with the protocol's snake_case names. Every field is optional: proto3
 * sends no defaults, and a response leaves out what it lacks.
 */
type PlainMessage<M extends MessageSpec, Scope> = {
  -readonly [K in keyof M['fields']]?: FieldValue<M['fields'][K], Omit<Scope, keyof NestedOf<M>> & NestedOf<M>>;
};
/** A message's nested types, without the index signature of the table's constraint. */
type NestedOf<M extends { nested?: object }> = KnownKeys<NonNullable<M['nested']>>;
type KnownKeys<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

/** A top-level message of tfplugin6, such as `DynamicValue` or `Diagnostic`. */
export type MessageOf<Name extends keyof Tfplugin6> = Tfplugin6[Name] extends MessageSpec
  ? PlainMessage<Tfplugin6[Name], Tfplugin6>
  : never;
type InRpc<R extends ProviderRpc, Part extends 'Request' | 'Response'> = PlainMessage<
  Tfplugin6[R]['nested'][Part],
  Omit<Tfplugin6, keyof NestedOf<Tfplugin6[R]>> & NestedOf<Tfplugin6[R]>
>;
export type RequestOf<R extends ProviderRpc> = InRpc<R, 'Request'>;
export type ResponseOf<R extends ProviderRpc> = InRpc<R, 'Response'>;
export type ProviderHandlers = { [R in ProviderRpc]: (request: RequestOf<R>) => Promise<ResponseOf<R>> };

/** The codecs of an RPC's request and response, prepared on its first call. */
export function rpcCodecs<R extends ProviderRpc>(rpc: R): [MessageCodec<RequestOf<R>>, MessageCodec<ResponseOf<R>>] {
  const scopes = [TFPLUGIN6[rpc].nested, TFPLUGIN6];
  return [messageOf('Request', scopes), messageOf('Response', scopes)];
}
