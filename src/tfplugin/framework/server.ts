import { setMaxListeners } from 'node:events';
import { type Diagnostic, error, formatPath, hasErrors } from './diagnostics';
import { type Logger } from '../wire/log';
import { ValueTypeError, decodeValue, encodeValue, fromJsonState, conformObject } from '../wire/msgpack';
import { clearWriteOnly, planObject, replacementPlan } from './plan';
import type { Message, ProviderHandlers } from '../wire/proto';
import type { ApplyResult, Context, PlanResponse, PrivateState, ProviderDefinition } from './provider';
import type { TerraformBlock, TerraformSchema } from '../wire/schema';
import { resolveProviderConfig } from './environment';
import { validateObject } from './validate';
import type { ObjectValue, PathStep } from '../wire/values';


const NESTING = { single: 1, list: 2, set: 3 } as const;

/**
 * The wire work of every RPC: decode, call the provider's plain functions, encode. Any exception
 * becomes an error diagnostic here, so a bug never kills the plugin.
 */
export function providerHandlers<D>(definition: ProviderDefinition<D>, log: Logger): ProviderHandlers {
  const stop = new AbortController();
  // Every request in flight listens on the one stop signal.
  setMaxListeners(0, stop.signal);
  let data: D | undefined;
  const ctx = (): Context<D> => ({ signal: stop.signal, log, data });
  const { schemas, rules } = definition;

  const resourceSchema = (typeName: string): TerraformSchema => {
    const schema = schemas.resources[typeName];
    if (!schema) throw new Error(`unknown resource type ${typeName}`);
    return schema;
  };
  const resource = (typeName: string) => definition.resources[typeName]!;
  const resourceRules = (typeName: string) => rules.resources[typeName] ?? {};
  const decode = (value: Message | undefined, block: TerraformBlock) => decodeValue(value?.msgpack, block);
  // Write-only values never leave the provider in a planned or new state.
  const encode = (value: ObjectValue | null, block: TerraformBlock) => ({ msgpack: encodeValue(clearWriteOnly(block, value) as ObjectValue | null, block) });
  const result = (diagnostics: Diagnostic[] = [], extra: Message = {}) => ({ ...extra, diagnostics: diagnostics.map(toProtoDiagnostic) });

  const handlers: ProviderHandlers = {
    async GetProviderSchema() {
      return {
        provider: toProtoSchema(schemas.provider),
        resource_schemas: mapValues(schemas.resources, toProtoSchema),
        data_source_schemas: mapValues(schemas.dataSources, toProtoSchema),
        server_capabilities: {
          get_provider_schema_optional: true,
          move_resource_state: Object.values(definition.resources).some((r) => r.move !== undefined),
        },
        diagnostics: [],
      };
    },

    async ValidateProviderConfig(request) {
      const config = decode(request.config, schemas.provider.block);
      return result([...validateObject(schemas.provider.block, rules.provider, config), ...(config && definition.validate ? definition.validate(config) : [])]);
    },

    async ValidateResourceConfig(request) {
      const { block } = resourceSchema(request.type_name);
      const config = decode(request.config, block);
      return result(validateResource(request.type_name, block, config));
    },

    async ValidateDataResourceConfig(request) {
      const block = schemas.dataSources[request.type_name]!.block;
      return result(validateDataSource(request.type_name, block, decode(request.config, block)));
    },

    async ConfigureProvider(request) {
      const config = decode(request.config, schemas.provider.block) ?? {};
      const { resolved, problems } = resolveProviderConfig(schemas.provider.block, rules.provider, config, process.env);
      if (hasErrors(problems)) return result(problems);
      const configured = await definition.configure(resolved, ctx());
      data = configured.data;
      return result(configured.diagnostics);
    },

    async UpgradeResourceState(request) {
      const { block, version } = resourceSchema(request.type_name);
      const stored = Number(request.version ?? 0);
      if (stored > version) {
        return result([error('State from a newer provider', `This state was written by a ${definition.name} provider with schema version ${stored}; this one knows ${version}. Use that provider version or newer.`)]);
      }
      return result([], { upgraded_state: encode(fromJsonState(request.raw_state?.json, block), block) });
    },

    async ReadResource(request) {
      const { block } = resourceSchema(request.type_name);
      const state = decode(request.current_state, block);
      if (!state) return result([], { new_state: request.current_state, private: request.private });
      const read = await resource(request.type_name).read(state, ctx(), decodePrivate(request.private));
      return result(read.diagnostics, { new_state: encode(read.state, block), private: privateBytes(read.private, request.private) });
    },

    async PlanResourceChange(request) {
      const { block } = resourceSchema(request.type_name);
      const proposed = decode(request.proposed_new_state, block);
      if (!proposed) return result([], { planned_state: request.proposed_new_state, planned_private: request.prior_private });
      const prior = decode(request.prior_state, block);
      const config = decode(request.config, block) ?? {};
      const diagnostics = validateResource(request.type_name, block, config);
      if (hasErrors(diagnostics)) return result(diagnostics);
      const rules = resourceRules(request.type_name);
      const declared = planObject(block, rules, prior, config);
      const modify = resource(request.type_name).modifyPlan;
      const plan: PlanResponse = modify ? modify({ prior, config, ...declared, private: decodePrivate(request.prior_private) }) : declared;
      const replace = prior !== null && plan.requiresReplace.length > 0;
      return result([...diagnostics, ...(plan.diagnostics ?? [])], {
        planned_state: encode(replace ? replacementPlan(block, rules, config) : plan.planned, block),
        requires_replace: plan.requiresReplace.map(toProtoPath),
        planned_private: privateBytes(replace ? null : plan.private, request.prior_private),
      });
    },

    async ApplyResourceChange(request) {
      const { block } = resourceSchema(request.type_name);
      const prior = decode(request.prior_state, block);
      const planned = decode(request.planned_state, block);
      const config = decode(request.config, block) ?? {};
      const type = resource(request.type_name);
      try {
        if (!planned) {
          const diagnostics = await type.delete(prior!, ctx());
          return result(diagnostics, { new_state: encode(hasErrors(diagnostics) ? prior : null, block) });
        }
        const planPrivate = decodePrivate(request.planned_private);
        const applied: ApplyResult = prior ? await (type.update?.(prior, planned, config, ctx(), planPrivate) ?? { state: planned }) : await type.create(planned, config, ctx());
        return result(applied.diagnostics, { new_state: encode(applied.state, block), private: privateBytes(applied.private, request.planned_private) });
      } catch (thrown) {
        return result([failure(thrown, definition.name, log)], { new_state: encode(prior, block) });
      }
    },

    async ImportResourceState(request) {
      const { block } = resourceSchema(request.type_name);
      const importer = resource(request.type_name).import;
      if (!importer) return result([error('Import not supported', `${request.type_name} cannot be imported.`)]);
      const imported = await importer(request.id, ctx());
      if (!imported.state) return result(imported.diagnostics);
      return result(imported.diagnostics, {
        imported_resources: [{ type_name: request.type_name, state: encode(imported.state, block), private: privateBytes(imported.private, undefined) }],
      });
    },

    async MoveResourceState(request) {
      const { block } = resourceSchema(request.target_type_name);
      const mover = resource(request.target_type_name).move;
      if (!mover) return result([error('Move not supported', `${request.target_type_name} cannot be moved from ${request.source_type_name}.`)]);
      const moved = mover({
        sourceProviderAddress: request.source_provider_address,
        sourceTypeName: request.source_type_name,
        sourceSchemaVersion: Number(request.source_schema_version ?? 0),
        sourceState: JSON.parse(Buffer.from(request.source_state?.json ?? 'null').toString('utf8')),
      });
      if (!moved.state || hasErrors(moved.diagnostics)) return result(moved.diagnostics);
      return result(moved.diagnostics, { target_state: encode(conformObject(moved.state, block) as ObjectValue, block), target_private: privateBytes(moved.private, undefined) });
    },

    async ReadDataSource(request) {
      const block = schemas.dataSources[request.type_name]!.block;
      const config = decode(request.config, block) ?? {};
      const diagnostics = validateDataSource(request.type_name, block, config);
      if (hasErrors(diagnostics)) return result(diagnostics);
      const read = await definition.dataSources[request.type_name]!.read(config, ctx());
      return result(read.diagnostics, read.state ? { state: encode(read.state, block) } : {});
    },

    async StopProvider() {
      log.log('info', 'stop requested: cancelling operations in flight');
      stop.abort(new Error('Terraform asked the provider to stop'));
      return {};
    },
  };

  function validateResource(typeName: string, block: TerraformBlock, config: ObjectValue | null): Diagnostic[] {
    if (!config) return [];
    const validate = resource(typeName).validate;
    return [...validateObject(block, resourceRules(typeName), config), ...(validate ? validate(config) : [])];
  }

  function validateDataSource(typeName: string, block: TerraformBlock, config: ObjectValue | null): Diagnostic[] {
    if (!config) return [];
    const validate = definition.dataSources[typeName]!.validate;
    return [...validateObject(block, rules.data_sources[typeName] ?? {}, config), ...(validate ? validate(config) : [])];
  }

  return mapValues(handlers, (handler, rpc) => async (request: Message) => {
    const started = performance.now();
    try {
      const response = await handler(request);
      log.log('debug', `${rpc} done`, { rpc, type: request.type_name, ms: Math.round((performance.now() - started) * 100) / 100 });
      return response;
    } catch (thrown) {
      return { diagnostics: [toProtoDiagnostic(failure(thrown, definition.name, log))] };
    }
  }) as ProviderHandlers;
}

/** Private state travels as JSON; bytes another provider wrote (or none) read as nothing. */
function decodePrivate(bytes: Uint8Array | undefined): PrivateState {
  if (!bytes || bytes.length === 0) return null;
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** undefined keeps the bytes Terraform sent; null clears them. */
function privateBytes(value: PrivateState | undefined, current: Uint8Array | undefined): Uint8Array | undefined {
  if (value === undefined) return current;
  return value === null || Object.keys(value).length === 0 ? undefined : Buffer.from(JSON.stringify(value));
}

/** A value of the wrong type is the caller's mistake, named by its attribute; anything else is a bug of ours. */
function failure(thrown: unknown, provider: string, log: Logger): Diagnostic {
  if (thrown instanceof ValueTypeError) {
    const where = thrown.path.length > 0 ? formatPath(thrown.path) : 'the value';
    return error(`Invalid value type for ${where}`, `${where} must be ${thrown.expected}; got ${thrown.got}.`, thrown.path.length > 0 ? thrown.path : undefined);
  }
  return internalError(thrown, provider, log);
}

function internalError(thrown: unknown, provider: string, log: Logger): Diagnostic {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  log.log('error', 'internal error', { error: message, stack: thrown instanceof Error ? thrown.stack : undefined });
  return error(`Internal error in the ${provider} provider`, `${message}\n\nThis is a bug in the provider, not in your configuration. Please report it with the output of TF_LOG=debug.`);
}

function toProtoSchema(schema: TerraformSchema): Message {
  return { version: schema.version, block: toProtoBlock(schema.block) };
}

function toProtoBlock(block: TerraformBlock): Message {
  return {
    attributes: Object.entries(block.attributes ?? {}).map(([name, a]) => ({
      name,
      type: Buffer.from(JSON.stringify(a.type)),
      description: a.description ?? '',
      description_kind: a.description_kind === 'markdown' ? 1 : 0,
      required: a.required ?? false,
      optional: a.optional ?? false,
      computed: a.computed ?? false,
      sensitive: a.sensitive ?? false,
      write_only: a.write_only ?? false,
    })),
    block_types: Object.entries(block.block_types ?? {}).map(([name, nested]) => ({
      type_name: name,
      block: toProtoBlock(nested.block),
      nesting: NESTING[nested.nesting_mode],
      min_items: nested.min_items ?? 0,
      max_items: nested.max_items ?? 0,
    })),
    description: block.description ?? '',
    description_kind: block.description_kind === 'markdown' ? 1 : 0,
  };
}

function toProtoPath(path: PathStep[]): Message {
  return { steps: path.map((step) => (typeof step === 'number' ? { element_key_int: step } : { attribute_name: step })) };
}

function toProtoDiagnostic(d: Diagnostic): Message {
  return { severity: d.severity === 'error' ? 1 : 2, summary: d.summary, detail: d.detail ?? '', ...(d.path ? { attribute: toProtoPath(d.path) } : {}) };
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value, key)]));
}
