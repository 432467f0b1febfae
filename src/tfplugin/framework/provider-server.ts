import { setMaxListeners } from 'node:events';
import { type Diagnostic, DiagnosticError, error, formatPath } from './diagnostics';
import type { AnyDataSource, AnyResource, Context, Environment, ProviderDefinition } from './provider';
import { validateObject } from './validate';
import type { Logger } from '../wire/log';
import { ValueTypeError, decodeValue, encodeState } from '../wire/msgpack';
import type { MessageOf } from '../wire/proto';
import type { TerraformBlock } from '../wire/schema';
import type { ObjectValue } from '../wire/values';

/**
 * What the RPCs of one provider process share: the definition, the data `configure` returned, the
 * stop signal, and the conversions between the wire's values and the definition's.
 */
export class ProviderServer {
  private readonly stop = new AbortController();
  private data: unknown;
  private readonly resources: Map<string, AnyResource>;
  private readonly dataSources: Map<string, AnyDataSource>;

  constructor(
    readonly definition: ProviderDefinition<unknown, unknown>,
    readonly log: Logger,
    readonly env: Environment,
  ) {
    // Every request in flight listens on the one stop signal.
    setMaxListeners(0, this.stop.signal);
    this.resources = new Map(definition.resources.map((r) => [r.typeName, r]));
    this.dataSources = new Map(definition.dataSources.map((d) => [d.typeName, d]));
  }

  context(): Context<unknown> {
    return { signal: this.stop.signal, log: this.log, env: this.env, data: this.data };
  }

  configured(data: unknown): void {
    this.data = data;
  }

  stopAll(): void {
    this.log.log('info', 'stop requested: cancelling operations in flight');
    this.stop.abort(new Error('Terraform asked the provider to stop'));
  }

  resource(typeName: string | undefined): AnyResource {
    const resource = this.resources.get(typeName ?? '');
    if (!resource) throw new Error(`unknown resource type ${typeName}`);
    return resource;
  }

  dataSource(typeName: string | undefined): AnyDataSource {
    const dataSource = this.dataSources.get(typeName ?? '');
    if (!dataSource) throw new Error(`unknown data source type ${typeName}`);
    return dataSource;
  }

  allResources(): AnyResource[] {
    return [...this.resources.values()];
  }

  allDataSources(): AnyDataSource[] {
    return [...this.dataSources.values()];
  }

  /**
   * The declared checks, then the provider's or the type's own. Null (an unknown whole object) has
   * nothing to check yet.
   */
  validate(type: Validated, config: ObjectValue | null): Diagnostic[] {
    if (!config) return [];
    const declared = validateObject(type.schema.block, type.rules, config);
    return type.validate ? [...declared, ...type.validate(config)] : declared;
  }

  /**
   * A thrown error as a diagnostic: a DiagnosticError says its own; a value of the wrong type is
   * the caller's mistake, named by its attribute; anything else is a bug of ours.
   */
  failure(thrown: unknown): Diagnostic {
    if (thrown instanceof DiagnosticError) return thrown.diagnostic;
    if (thrown instanceof ValueTypeError) {
      const where = thrown.path.length > 0 ? formatPath(thrown.path) : 'the value';
      return error(
        `Invalid value type for ${where}`,
        `${where} must be ${thrown.expected}; got ${thrown.got}.`,
        thrown.path.length > 0 ? thrown.path : undefined,
      );
    }
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    this.log.log('error', 'internal error', {
      error: message,
      stack: thrown instanceof Error ? thrown.stack : undefined,
    });
    return error(
      `Internal error in the ${this.definition.name} provider`,
      `${message}\n\nThis is a bug in the provider, not in your configuration. Please report it with the output of TF_LOG=debug.`,
    );
  }
}

/** What can be checked: the provider itself, a resource type or a data source type. */
type Validated = Pick<AnyResource, 'schema' | 'rules' | 'validate'>;

export const decode = (value: MessageOf<'DynamicValue'> | undefined, block: TerraformBlock): ObjectValue | null =>
  decodeValue(value?.msgpack, block);

/** Write-only values never leave the provider in a planned or new state. */
export const encode = (value: ObjectValue | null, block: TerraformBlock): MessageOf<'DynamicValue'> => ({
  msgpack: encodeState(value, block),
});
