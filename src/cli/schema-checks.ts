import { providerSchema, resourceSchema } from '../provider/schema';
import type { SchemaRules } from '../tfplugin/framework/rules';
import { validateObject } from '../tfplugin/framework/validate';
import type { TerraformBlock } from '../tfplugin/wire/schema';
import type { ObjectValue, Value } from '../tfplugin/wire/values';
import { UsageError } from './command';

/** A block of the provider's schema with its rules: what a flag's value is checked against. */
export interface Checked {
  block: TerraformBlock;
  rules: SchemaRules;
}

const checked = ({ schema, rules }: { schema: { block: TerraformBlock }; rules: SchemaRules }): Checked => ({
  block: schema.block,
  rules,
});

/** The provider's own arguments: the token and the endpoint. */
export const PROVIDER = checked(providerSchema);

/** The online-migration resource, whose arguments the migration commands take as flags. */
export const MIGRATION = checked(resourceSchema('dodb_online_migration'));

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
