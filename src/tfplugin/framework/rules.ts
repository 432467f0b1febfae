/**
 * The declared behaviour of each attribute, which Terraform's schema has no room for: checks on
 * its value, how it plans, where it falls back to. Generated from schema/ into plan-rules.json.
 */

/** Checks on a known value, in JSON Schema's vocabulary. */
export interface ValueChecks {
  format?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  integer?: boolean;
  minLength?: number;
  maxLength?: number;
  /** A regular expression (Unicode mode) that the value must match somewhere, as in JSON Schema. */
  pattern?: string;
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
  /**
   * The write-only sibling this attribute is the version of: with `requiresReplace`, only a change
   * from one version to another replaces the object (whose create sends the write-only value);
   * setting a first version or removing it changes the state alone.
   */
  versionOf?: string;
  checks?: ValueChecks;
}

export type SchemaRules = Record<string, AttributeRules>;

export interface ProviderRules {
  provider: SchemaRules;
  resources: Record<string, SchemaRules>;
  data_sources: Record<string, SchemaRules>;
}
