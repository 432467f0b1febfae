import type { Diagnostic } from './diagnostics';
import type { SchemaRules } from './rules';
import type { Logger } from '../wire/log';
import type { TerraformSchema } from '../wire/schema';
import type { PathStep, Unknown } from '../wire/values';

/** Per request: cancelled when Terraform sends StopProvider. */
/** Environment variables, as the provider was started with them. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface Context<D> {
  signal: AbortSignal;
  log: Logger;
  /** The environment given at start. */
  env: Environment;
  /** What `configure` returned; undefined before ConfigureProvider. */
  data: D | undefined;
}

/**
 * A type generated from the JSON Schema (optional properties, tuples for one-item blocks) as
 * Terraform's values arrive: every attribute present, null when unset, nested blocks as lists.
 */
export type State<T> = { [K in keyof T]-?: NullWhenOptional<T, K, StateValue<NonNullable<T[K]>>> };
type StateValue<V> = V extends readonly (infer U)[] ? StateValue<U>[] : V extends object ? State<V> : V;

/** The same at plan time, where Terraform may not know a value yet. */
export type Planned<T> = { [K in keyof T]-?: NullWhenOptional<T, K, PlannedValue<NonNullable<T[K]>>> | Unknown };
type PlannedValue<V> = V extends readonly (infer U)[]
  ? (PlannedValue<U> | Unknown)[]
  : V extends object
    ? Planned<V>
    : V;

type NullWhenOptional<T, K extends keyof T, V> = undefined extends T[K] ? V | null : V;

export interface ApplyResult<S, P> {
  /** On error too: a created object must not be lost from state. */
  state: State<S> | null;
  diagnostics?: Diagnostic[];
  /**
   * Provider-private data kept with the object in state, opaque to Terraform (stored as JSON): what
   * the provider knows that is not an attribute. null clears it; undefined keeps what Terraform sent.
   */
  private?: P | null;
}

/** What PlanResourceChange computed from the declared rules, for a resource to adjust (the framework's ModifyPlan). */
export interface PlanRequest<S, P> {
  prior: State<S> | null;
  config: Planned<S>;
  planned: Planned<S>;
  /** Attribute paths whose change forces a replacement. */
  requiresReplace: PathStep[][];
  private: P | null;
}

export interface PlanResponse<S, P> {
  planned: Planned<S>;
  requiresReplace: PathStep[][];
  /** Planned private state, handed to apply; undefined keeps the prior one. */
  private?: P | null;
  diagnostics?: Diagnostic[];
}

/** A stored state as UpgradeResourceState hands it over: parsed JSON in the shape of schema `version`. */
export interface UpgradeRequest {
  /** The schema version that wrote it: at most the current one (a newer one is refused before). */
  version: number;
  state: Record<string, unknown>;
}

export interface MoveRequest {
  sourceProviderAddress: string;
  sourceTypeName: string;
  sourceSchemaVersion: number;
  sourceState: unknown;
}

/**
 * One managed resource type, in the shape of Terraform's plugin framework: its schema, the plan
 * behaviour and checks its rules declare, and the functions that are specific to it. `S` is the
 * state type generated from its JSON Schema, `P` its private state, `D` the provider's data.
 */
export interface ResourceType<S, D, P = never> {
  typeName: string;
  schema: TerraformSchema;
  rules: SchemaRules;
  validate?(config: Planned<S>): Diagnostic[];
  /** The private state's shape: bytes of another shape (another provider's, a newer version's) read as none. */
  isPrivate?(value: object): value is P & object;
  /**
   * Adjusts the declared plan: run for creates and updates, not destroys. It may ask the API (the
   * provider is configured by then; `terraform validate` never plans), bounded by its own limits
   * and `ctx.signal`; a throw is reported like any failed operation.
   */
  modifyPlan?(request: PlanRequest<S, P>, ctx: Context<D>): PlanResponse<S, P> | Promise<PlanResponse<S, P>>;
  /**
   * Brings a stored state to the current schema's shape (the framework's UpgradeState): handed
   * every stored object with the version that wrote it, before the framework conforms it to the
   * schema. Without one, a state reads as it is.
   */
  upgradeState?(request: UpgradeRequest): { state: Record<string, unknown> | null; diagnostics?: Diagnostic[] };
  /**
   * Told of every object Terraform reads from its state (UpgradeResourceState), before it plans:
   * tainted objects and plans with `-refresh=false` included, which reach neither `read` nor a
   * plan's prior.
   */
  loaded?(state: State<S>): void;
  /** The plan's unknown values arrive as null: the resource sets the computed ones it knows. */
  create(request: { planned: State<S>; config: State<S> }, ctx: Context<D>): Promise<ApplyResult<S, P>>;
  read(request: { state: State<S>; private: P | null }, ctx: Context<D>): Promise<ApplyResult<S, P>>;
  /** In-place update; without one, the plan is the new state, and computed values keep their prior ones. */
  update?(
    request: { prior: State<S>; planned: State<S>; config: State<S>; private: P | null },
    ctx: Context<D>,
  ): Promise<ApplyResult<S, P>>;
  delete(request: { prior: State<S> }, ctx: Context<D>): Promise<Diagnostic[]>;
  import?(id: string, ctx: Context<D>): Promise<ApplyResult<S, P>>;
  /** State of another provider's resource type, for `moved {}` blocks. */
  move?(request: MoveRequest): { state: State<S> | null; diagnostics: Diagnostic[]; private?: P | null };
}

export interface DataSourceType<S, D> {
  typeName: string;
  schema: TerraformSchema;
  rules: SchemaRules;
  validate?(config: Planned<S>): Diagnostic[];
  read(config: State<S>, ctx: Context<D>): Promise<{ state: State<S> | null; diagnostics?: Diagnostic[] }>;
}

/** A provider: its own configuration schema and rules, and the resource and data source types it serves. */
export interface ProviderDefinition<C, D> {
  /** For messages and log lines (`@module`). */
  name: string;
  schema: TerraformSchema;
  rules: SchemaRules;
  validate?(config: Planned<C>): Diagnostic[];
  /**
   * `config` has the environment's values and the rules' fallbacks filled in; a top-level argument
   * Terraform will only know at apply is null there and named in `unknown`.
   */
  configure(
    request: { config: State<C>; unknown: ReadonlySet<string> },
    ctx: Context<D>,
  ): Promise<{ data?: D; diagnostics?: Diagnostic[] }>;
  resources: AnyResource<D>[];
  dataSources: AnyDataSource<D>[];
}

/**
 * Any resource or data source type: each has its own state type, and the framework handles them
 * all as decoded objects (the methods' parameters are bivariant, so each type's own functions fit).
 */
export type AnyResource<D = unknown> = ResourceType<Record<string, unknown>, D, object>;
export type AnyDataSource<D = unknown> = DataSourceType<Record<string, unknown>, D>;

/** One registration per type, checked against its generated state type. */
export const defineResource = <S, D, P = never>(resource: ResourceType<S, D, P>) => resource;
export const defineDataSource = <S, D>(dataSource: DataSourceType<S, D>) => dataSource;
