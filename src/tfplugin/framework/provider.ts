import type { Diagnostic } from './diagnostics';
import type { Logger } from '../wire/log';
import type { TerraformSchema } from '../wire/schema';
import type { ProviderRules } from './rules';
import type { ObjectValue, PathStep } from '../wire/values';

/** Per request: cancelled when Terraform sends StopProvider. */
export interface Context<D> {
  signal: AbortSignal;
  log: Logger;
  /** What `configure` returned; undefined before ConfigureProvider. */
  data: D | undefined;
}

/**
 * Provider-private data kept with an object in state, opaque to Terraform (stored as JSON): what
 * the provider knows about an object that is not an attribute, such as "imported, arguments not
 * observed yet".
 */
export type PrivateState = Record<string, unknown> | null;

export interface ApplyResult {
  /** On error too: a created object must not be lost from state. */
  state: ObjectValue | null;
  diagnostics?: Diagnostic[];
  /** Replaces the object's private state; undefined keeps what Terraform sent. */
  private?: PrivateState;
}

/** What PlanResourceChange computed from the declared rules, for a resource to adjust. */
export interface PlanRequest {
  prior: ObjectValue | null;
  config: ObjectValue;
  planned: ObjectValue;
  /** Attribute paths whose change forces a replacement. */
  requiresReplace: PathStep[][];
  private: PrivateState;
}

export interface PlanResponse {
  planned: ObjectValue;
  requiresReplace: PathStep[][];
  /** Planned private state, handed to apply; undefined keeps the prior one. */
  private?: PrivateState;
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
  /** Adjusts the declared plan (the framework's ModifyPlan): run for creates and updates, not destroys. */
  modifyPlan?(request: PlanRequest): PlanResponse;
  create(planned: ObjectValue, config: ObjectValue, ctx: Context<D>): Promise<ApplyResult>;
  read(state: ObjectValue, ctx: Context<D>, priv: PrivateState): Promise<ApplyResult>;
  /** In-place update; the default keeps the plan and calls nothing. */
  update?(prior: ObjectValue, planned: ObjectValue, config: ObjectValue, ctx: Context<D>, priv: PrivateState): Promise<ApplyResult>;
  delete(prior: ObjectValue, ctx: Context<D>): Promise<Diagnostic[]>;
  import?(id: string, ctx: Context<D>): Promise<ApplyResult>;
  /** State of another provider's resource type, for `moved {}` blocks. */
  move?(request: MoveRequest): { state: Record<string, unknown> | null; diagnostics: Diagnostic[]; private?: PrivateState };
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
