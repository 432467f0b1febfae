import { type Diagnostic } from './diagnostics';
import type { SchemaRules } from './rules';
import { validateObject } from './validate';
import type { TerraformBlock } from '../wire/schema';
import type { ObjectValue } from '../wire/values';

/**
 * A provider configuration as the provider uses it: arguments left null are filled from the
 * environment variables their rules name (`env`, first set wins), then from their `fallback`.
 * Values from the environment are checked like configured ones (the configuration's own were
 * checked by ValidateProviderConfig), and a problem names the variable.
 */
export function resolveProviderConfig(
  block: TerraformBlock,
  rules: SchemaRules,
  config: ObjectValue,
  env: NodeJS.ProcessEnv,
): { resolved: ObjectValue; problems: Diagnostic[] } {
  const resolved: ObjectValue = { ...config };
  const problems: Diagnostic[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    // Top-level arguments only: nested blocks' rules (`block.attribute`) have no environment.
    if (name.includes('.') || (resolved[name] !== null && resolved[name] !== undefined)) continue;
    const variable = rule.env?.find((v) => env[v]);
    if (variable) {
      resolved[name] = env[variable]!;
      problems.push(...validateObject(block, rules, { [name]: resolved[name]! }).map((d) => fromVariable(d, variable)));
    } else if (rule.fallback !== undefined) {
      resolved[name] = rule.fallback as ObjectValue[string];
    }
  }
  return { resolved, problems };
}

/** A problem with a value from the environment points at the variable, not at a line of configuration. */
function fromVariable(diagnostic: Diagnostic, variable: string): Diagnostic {
  return {
    severity: diagnostic.severity,
    summary: diagnostic.summary,
    detail: `${diagnostic.detail ?? ''}\n\nThe value comes from the ${variable} environment variable.`.trim(),
  };
}
