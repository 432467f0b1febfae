/**
 * The schema formats the protocol layer consumes: Terraform's own JSON form of a provider schema
 * (what `terraform providers schema -json` prints) and the declared plan behaviour of each
 * attribute, which Terraform's schema has no room for.
 */

export type TerraformType = 'string' | 'number' | 'bool' | ['set' | 'list' | 'map', TerraformType];

export interface TerraformAttribute {
  type: TerraformType;
  description?: string;
  description_kind?: 'plain' | 'markdown';
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  write_only?: boolean;
}

export interface TerraformNestedBlock {
  nesting_mode: 'single' | 'list' | 'set';
  block: TerraformBlock;
  min_items?: number;
  max_items?: number;
}

export interface TerraformBlock {
  attributes?: Record<string, TerraformAttribute>;
  block_types?: Record<string, TerraformNestedBlock>;
  description?: string;
  description_kind?: 'plain' | 'markdown';
}

export interface TerraformSchema {
  version: number;
  block: TerraformBlock;
}

export interface TerraformProviderSchemas {
  format_version: string;
  provider_schemas: Record<string, {
    provider: TerraformSchema;
    resource_schemas?: Record<string, TerraformSchema>;
    data_source_schemas?: Record<string, TerraformSchema>;
  }>;
}

/** Checks on a known value, in JSON Schema's vocabulary. */
export interface ValueChecks {
  format?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  integer?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  /** For a Go duration: the shortest and the longest accepted, also Go durations. */
  minDuration?: string;
  maxDuration?: string;
  /** Checks on each element of a list or set. */
  items?: ValueChecks;
}

/** Plan behaviour declared on one attribute or block, keyed by its dotted path. */
export interface AttributeRules {
  requiresReplace?: boolean;
  /** Keep the prior value in the plan instead of marking a computed attribute unknown. */
  keepPrior?: boolean;
  /** Planned when the configuration leaves the attribute null. */
  default?: unknown;
  /** Used at run time when the value is null; never planned. */
  fallback?: unknown;
  env?: string[];
  conflictsWith?: string[];
  /** Sibling attributes that must be set when this one is. */
  requires?: string[];
  checks?: ValueChecks;
}

export type SchemaRules = Record<string, AttributeRules>;

export interface ProviderRules {
  provider: SchemaRules;
  resources: Record<string, SchemaRules>;
  data_sources: Record<string, SchemaRules>;
}
