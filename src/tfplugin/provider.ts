import type { Diagnostic } from './diagnostics';
import type { Logger } from './log';
import type { ProviderRules, TerraformSchema } from './schema';
import type { ObjectValue } from './values';

/** Per request: cancelled when Terraform sends StopProvider. */
export interface Context<D> {
  signal: AbortSignal;
  log: Logger;
  /** What `configure` returned; undefined before ConfigureProvider. */
  data: D | undefined;
}

export interface ApplyResult {
  /** On error too: a created object must not be lost from state. */
  state: ObjectValue | null;
  diagnostics?: Diagnostic[];
}

export interface MoveRequest {
  sourceProviderAddress: string;
  sourceTypeName: string;
  sourceSchemaVersion: number;
  sourceState: unknown;
}

/**
 * One managed resource type, in the shape of Terraform's plugin framework: validation and plan
 * behaviour are declared in the schema rules; these functions add what is specific to it.
 */
export interface ResourceType<D> {
  validate?(config: ObjectValue): Diagnostic[];
  /**
   * True when the prior state's arguments were never observed (after an import or a move), so the
   * plan takes the configuration's in place instead of replacing the object.
   */
  adoptsConfig?(prior: ObjectValue): boolean;
  create(planned: ObjectValue, config: ObjectValue, ctx: Context<D>): Promise<ApplyResult>;
  read(state: ObjectValue, ctx: Context<D>): Promise<ApplyResult>;
  /** In-place update; the default keeps the plan and calls nothing. */
  update?(prior: ObjectValue, planned: ObjectValue, config: ObjectValue, ctx: Context<D>): Promise<ApplyResult>;
  delete(prior: ObjectValue, ctx: Context<D>): Promise<Diagnostic[]>;
  import?(id: string, ctx: Context<D>): Promise<ApplyResult>;
  /** State of another provider's resource type, for `moved {}` blocks. */
  move?(request: MoveRequest): { state: Record<string, unknown> | null; diagnostics: Diagnostic[] };
}

export interface DataSourceType<D> {
  validate?(config: ObjectValue): Diagnostic[];
  read(config: ObjectValue, ctx: Context<D>): Promise<ApplyResult>;
}

export interface ProviderDefinition<D> {
  /** For log lines: `@module`. */
  name: string;
  schemas: {
    provider: TerraformSchema;
    resources: Record<string, TerraformSchema>;
    dataSources: Record<string, TerraformSchema>;
  };
  rules: ProviderRules;
  validate?(config: ObjectValue): Diagnostic[];
  configure(config: ObjectValue, ctx: Context<D>): Promise<{ data?: D; diagnostics?: Diagnostic[] }>;
  resources: Record<string, ResourceType<D>>;
  dataSources: Record<string, DataSourceType<D>>;
}
