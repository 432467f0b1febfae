/** Terraform's own JSON form of a provider schema, as `terraform providers schema -json` prints it. */

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
