import planRules from '../../generated/plan-rules.json';
import providerSchemas from '../../generated/provider-schema.json';
import { PROVIDER_ADDRESS } from '../release/provider-package';
import type { ProviderRules, SchemaRules } from '../tfplugin/framework/rules';
import { validateObject } from '../tfplugin/framework/validate';
import type { TerraformBlock, TerraformProviderSchemas } from '../tfplugin/wire/schema';
import type { ObjectValue, Value } from '../tfplugin/wire/values';
import { UsageError } from './command';

/** A block of the provider's schema with its rules: what a flag's value is checked against. */
export interface Checked {
  block: TerraformBlock;
  rules: SchemaRules;
}

const schemas = (providerSchemas as unknown as TerraformProviderSchemas).provider_schemas[PROVIDER_ADDRESS]!;
const rules = planRules as ProviderRules;

/** The provider's own arguments: the token and the endpoint. */
export const PROVIDER: Checked = { block: schemas.provider.block, rules: rules.provider };

/** The online-migration resource, whose arguments the migration commands take as flags. */
export const MIGRATION: Checked = {
  block: schemas.resource_schemas!.dodb_online_migration!.block,
  rules: rules.resources.dodb_online_migration!,
};

/**
 * Checks a flag's value by the schema's rules for `attribute` (dotted, such as `source.host`) and
 * throws what the provider would say, with `label` (the flag) in place of the attribute's name.
 */
export function checkFlag(target: Checked, attribute: string, label: string, value: Value, usage: string): void {
  // Nested blocks given as objects, not lists, so that the message names `source.host`.
  const object = attribute.split('.').reduceRight<Value>((inner, name) => ({ [name]: inner }), value) as ObjectValue;
  const [problem] = validateObject(target.block, target.rules, object);
  if (problem) throw new UsageError((problem.detail ?? problem.summary).replace(attribute, label), usage);
}
