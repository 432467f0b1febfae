import type { MessageOf } from './proto';

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
  provider_schemas: Record<
    string,
    {
      provider: TerraformSchema;
      resource_schemas?: Record<string, TerraformSchema>;
      data_source_schemas?: Record<string, TerraformSchema>;
    }
  >;
}

const NESTING = { single: 1, list: 2, set: 3 } as const;

/** A schema as GetProviderSchema sends it. */
export function toProtoSchema(schema: TerraformSchema): MessageOf<'Schema'> {
  return { version: schema.version, block: toProtoBlock(schema.block) };
}

function toProtoBlock(block: TerraformBlock): NonNullable<MessageOf<'Schema'>['block']> {
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
