import { FORMATS } from '../vocabulary/formats';
import type { AttributeRules, ValueChecks } from '../tfplugin/framework/rules';

/** The checks and constraints of one attribute in words, for the docs: the same rules validation applies. */
export function describeRules(rules: AttributeRules): string {
  const sentences: string[] = [];
  if (rules.checks) {
    const accepted = describeChecks(rules.checks);
    if (accepted) sentences.push(`Accepted: ${accepted}.`);
    const items = rules.checks.items ? describeChecks(rules.checks.items) : '';
    if (items) sentences.push(`Each element: ${items}.`);
  }
  if (rules.conflictsWith?.length) sentences.push(`Conflicts with ${rules.conflictsWith.map(code).join(', ')}.`);
  if (rules.requires?.length) sentences.push(`Requires ${rules.requires.map(code).join(' and ')}.`);
  if (rules.versionOf)
    sentences.push(
      `The version of ${code(rules.versionOf)}: only a change from one version to another replaces the ` +
        `resource (whose create sends the current ${code(rules.versionOf)}); setting a first version or removing ` +
        'it changes the state alone.',
    );
  return sentences.join(' ');
}

/**
 * Where an unset attribute's value comes from, for its description: its environment variables in
 * order, then its default or fallback. Written here from the schema, never by hand.
 */
export function describeDefault(rules: AttributeRules): string {
  const value = rules.default ?? rules.fallback;
  const sources = [
    ...(rules.env ?? []).map((name) => `the ${code(name)} environment variable`),
    ...(value === undefined ? [] : [code(String(value))]),
  ];
  return sources.length > 0 ? `Defaults to ${sources.join(', then ')}.` : '';
}

function describeChecks(checks: ValueChecks): string {
  const parts: string[] = [];
  if (checks.format) parts.push(FORMATS[checks.format]!.accepted);
  if (checks.enum) parts.push(`one of ${checks.enum.map(code).join(', ')}`);
  if (checks.minDuration !== undefined && checks.maxDuration !== undefined) {
    parts.push(`from \`${checks.minDuration}\` to \`${checks.maxDuration}\`, in whole milliseconds`);
  }
  const length = lengthRange(checks.minLength, checks.maxLength);
  if (length) parts.push(length);
  if (checks.pattern !== undefined) parts.push(`matching the regular expression \`${checks.pattern}\``);
  const count = countRange(checks.minItems, checks.maxItems);
  if (count) parts.push(count);
  if (checks.minimum !== undefined || checks.maximum !== undefined) {
    const kind = checks.integer ? 'a whole number' : 'a number';
    parts.push(
      checks.maximum === undefined
        ? `${kind} of at least ${checks.minimum}`
        : checks.minimum === undefined
          ? `${kind} of at most ${checks.maximum}`
          : `${kind} from ${checks.minimum} to ${checks.maximum}`,
    );
  }
  return parts.join('; ');
}

function lengthRange(min: number | undefined, max: number | undefined): string {
  if (max !== undefined) return `${min ?? 0} to ${max} characters`;
  return min !== undefined ? `not empty` : '';
}

function countRange(min: number | undefined, max: number | undefined): string {
  if (max !== undefined) return `${min ?? 0} to ${max} elements`;
  return min !== undefined ? `at least ${min} elements` : '';
}

const code = (text: string) => `\`${text}\``;
