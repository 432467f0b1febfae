import { blockFields } from '../wire/block-fields';
import type { TerraformAttribute, TerraformBlock } from '../wire/schema';
import type { AttributeRules, SchemaRules } from './rules';
import { type ObjectValue, type PathStep, UNKNOWN, type Value, isUnknown, valuesEqual } from '../wire/values';

export interface Plan {
  planned: ObjectValue;
  requiresReplace: PathStep[][];
}

/**
 * Plan behaviour declared in the rules, as Terraform's plugin framework applies it: defaults for
 * null optional+computed attributes, computed values kept from the prior state (`keepPrior`) or
 * unknown, write-only attributes null, and requires-replace where a declared value changes (for
 * the version of a write-only value, from one version to another). The
 * plan is an update of `prior`; when the object is to be replaced, `replacementPlan` gives the
 * new object's.
 */
export function planObject(
  block: TerraformBlock,
  rules: SchemaRules,
  prior: ObjectValue | null,
  config: ObjectValue,
): Plan {
  const requiresReplace: PathStep[][] = [];
  const planned = planBlock(block, rules, '', [], prior, config, requiresReplace);
  return { planned, requiresReplace };
}

/** The planned state of a new object that replaces the prior one: nothing is kept from it. */
export function replacementPlan(block: TerraformBlock, rules: SchemaRules, config: ObjectValue): ObjectValue {
  return planBlock(block, rules, '', [], null, config, []);
}

/** What an attribute without rules plans by: nothing declared. */
const NO_RULES: AttributeRules = {};

function planBlock(
  block: TerraformBlock,
  rules: SchemaRules,
  prefix: string,
  path: PathStep[],
  prior: ObjectValue | null,
  config: ObjectValue,
  replace: PathStep[][],
): ObjectValue {
  const planned: ObjectValue = {};
  const fields = blockFields(block);
  for (const { name, attribute } of fields.attributes) {
    const rule = rules[prefix + name] ?? NO_RULES;
    const value = planAttribute(
      attribute,
      rule.keepPrior === true,
      rule.default,
      prior?.[name] ?? null,
      config[name] ?? null,
      prior !== null,
    );
    planned[name] = value;
    if (
      prior &&
      rule.requiresReplace &&
      !valuesEqual(prior[name] ?? null, value, Array.isArray(attribute.type) && attribute.type[0] === 'set') &&
      !(rule.versionOf && ((prior[name] ?? null) === null || value === null))
    ) {
      replace.push([...path, name]);
    }
  }
  for (const { name, nested } of fields.blockTypes) {
    const rule = rules[prefix + name] ?? NO_RULES;
    const configValue = config[name] ?? null;
    const priorValue = prior?.[name] ?? null;
    const childPrefix = `${prefix}${name}.`;
    let value: Value;
    if (nested.nesting_mode === 'single') {
      value =
        configValue === null || isUnknown(configValue)
          ? configValue
          : planBlock(
              nested.block,
              rules,
              childPrefix,
              [...path, name],
              priorValue as ObjectValue | null,
              configValue as ObjectValue,
              replace,
            );
    } else if (Array.isArray(configValue)) {
      const priorItems = Array.isArray(priorValue) ? priorValue : [];
      value = configValue.map((item, i) =>
        isUnknown(item)
          ? item
          : planBlock(
              nested.block,
              rules,
              childPrefix,
              [...path, name, i],
              (priorItems[i] as ObjectValue | undefined) ?? null,
              item as ObjectValue,
              replace,
            ),
      );
    } else {
      value = configValue;
    }
    planned[name] = value;
    if (
      prior &&
      rule.requiresReplace &&
      !valuesEqual(clearWriteOnly(nested.block, priorValue), clearWriteOnly(nested.block, value))
    ) {
      replace.push([...path, name]);
    }
  }
  return planned;
}

function planAttribute(
  attribute: TerraformAttribute,
  keepPrior: boolean,
  defaultValue: unknown,
  prior: Value,
  config: Value,
  hasPrior: boolean,
): Value {
  if (attribute.write_only) return null;
  if (!attribute.computed) return config;
  if (config !== null) return config;
  if (defaultValue !== undefined) return defaultValue as Value;
  // A null is kept too: a value the API does not always give would otherwise be planned as a change forever.
  if (hasPrior && keepPrior) return prior;
  return UNKNOWN;
}

/** Write-only values are never in state: null them, at every depth. */
export function clearWriteOnly(block: TerraformBlock, value: Value): Value {
  if (Array.isArray(value)) return value.map((item) => clearWriteOnly(block, item));
  if (value === null || isUnknown(value) || typeof value !== 'object') return value;
  const copy: ObjectValue = { ...value };
  const fields = blockFields(block);
  for (const { name, attribute } of fields.attributes) if (attribute.write_only) copy[name] = null;
  for (const { name, nested } of fields.blockTypes) copy[name] = clearWriteOnly(nested.block, copy[name] ?? null);
  return copy;
}

/**
 * A plan as apply hands it to a resource: what Terraform could not know at plan time is the prior
 * value at the same place (null in a new object), so that nothing unknown is left in the new state.
 */
export function withoutUnknowns(planned: Value, prior: Value): Value {
  if (isUnknown(planned)) return prior;
  if (Array.isArray(planned))
    return planned.map((item, i) => withoutUnknowns(item, Array.isArray(prior) ? (prior[i] ?? null) : null));
  if (planned === null || typeof planned !== 'object') return planned;
  const priorObject =
    prior !== null && typeof prior === 'object' && !Array.isArray(prior) && !isUnknown(prior) ? prior : null;
  return Object.fromEntries(
    Object.entries(planned).map(([name, value]) => [name, withoutUnknowns(value, priorObject?.[name] ?? null)]),
  );
}
