import type { ProviderRules, SchemaRules } from '../tfplugin/framework/rules';
import type {
  TerraformAttribute,
  TerraformBlock,
  TerraformProviderSchemas,
  TerraformSchema,
} from '../tfplugin/wire/schema';
import type { BlockModel, ProviderModel, SchemaModel } from './model';

/** The provider schema in the form `terraform providers schema -json` prints (keys sorted, as Go does). */
export function emitTerraformSchema(model: ProviderModel): TerraformProviderSchemas {
  const byType = (schemas: SchemaModel[]) =>
    Object.fromEntries(
      [...schemas].sort((a, b) => a.typeName.localeCompare(b.typeName)).map((s) => [s.typeName, schemaOf(s)]),
    );
  return {
    format_version: '1.0',
    provider_schemas: {
      [model.address]: {
        provider: schemaOf(model.provider),
        resource_schemas: byType(model.resources),
        data_source_schemas: byType(model.dataSources),
      },
    },
  };
}

function schemaOf(schema: SchemaModel): TerraformSchema {
  return {
    version: schema.version,
    block: { ...blockOf(schema.block), description: schema.description, description_kind: 'markdown' },
  };
}

function blockOf(block: BlockModel): TerraformBlock {
  const out: TerraformBlock = {};
  if (block.attributes.length > 0) {
    out.attributes = Object.fromEntries(
      sortByName(block.attributes).map((a) => {
        const attribute: TerraformAttribute = {
          type: a.type,
          description: a.description,
          description_kind: 'markdown',
        };
        if (a.required) attribute.required = true;
        if (a.optional) attribute.optional = true;
        if (a.computed) attribute.computed = true;
        if (a.sensitive) attribute.sensitive = true;
        if (a.writeOnly) attribute.write_only = true;
        return [a.name, attribute];
      }),
    );
  }
  if (block.blocks.length > 0) {
    out.block_types = Object.fromEntries(
      sortByName(block.blocks).map((b) => [
        b.name,
        {
          nesting_mode: b.nesting,
          block: { ...blockOf(b.block), description: b.description, description_kind: 'markdown' },
          ...(b.minItems > 0 ? { min_items: b.minItems } : {}),
          ...(b.maxItems > 0 ? { max_items: b.maxItems } : {}),
        },
      ]),
    );
  }
  return out;
}

/** Plan behaviour per attribute path (`source.host`), which Terraform's schema cannot carry. */
export function emitPlanRules(model: ProviderModel): ProviderRules {
  const byType = (schemas: SchemaModel[]) => Object.fromEntries(schemas.map((s) => [s.typeName, rulesOf(s.block, '')]));
  return {
    provider: rulesOf(model.provider.block, ''),
    resources: byType(model.resources),
    data_sources: byType(model.dataSources),
  };
}

function rulesOf(block: BlockModel, prefix: string): SchemaRules {
  const rules: SchemaRules = {};
  for (const a of block.attributes) {
    if (Object.keys(a.rules).length > 0) rules[prefix + a.name] = a.rules;
  }
  for (const b of block.blocks) {
    if (Object.keys(b.rules).length > 0) rules[prefix + b.name] = b.rules;
    Object.assign(rules, rulesOf(b.block, `${prefix}${b.name}.`));
  }
  return rules;
}

function sortByName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
