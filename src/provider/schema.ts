import providerSchemas from '../../generated/provider-schema.json';
import planRules from '../../generated/plan-rules.json';
import type { ProviderRules } from '../tfplugin/framework/rules';
import type { TerraformProviderSchemas } from '../tfplugin/wire/schema';
import { PROVIDER_ADDRESS } from '../version';

const generated = (providerSchemas as unknown as TerraformProviderSchemas).provider_schemas[PROVIDER_ADDRESS]!;
const rules = planRules as ProviderRules;

/** The generated schema and rules of the provider, each resource and each data source. */
export const providerSchema = { schema: generated.provider, rules: rules.provider };
export const resourceSchema = (typeName: string) => ({
  typeName,
  schema: generated.resource_schemas![typeName]!,
  rules: rules.resources[typeName]!,
});
export const dataSourceSchema = (typeName: string) => ({
  typeName,
  schema: generated.data_source_schemas![typeName]!,
  rules: rules.data_sources[typeName]!,
});
