import { type Diagnostic, error, formatPath } from './diagnostics';
import { isWholeMilliseconds, parseDuration } from '../../vocabulary/duration';
import { FORMATS } from '../../vocabulary/formats';
import { blockFields } from '../wire/block-fields';
import type { TerraformAttribute, TerraformBlock } from '../wire/schema';
import type { SchemaRules, ValueChecks } from './rules';
import { type ObjectValue, type PathStep, type Value, isUnknown } from '../wire/values';

/**
 * The checks declared in the schema rules, on every known value: unknown values pass until they
 * are known (Terraform validates again at plan). A sensitive value is never repeated in a message.
 */
export function validateObject(
  block: TerraformBlock,
  rules: SchemaRules,
  value: ObjectValue | null,
  path: PathStep[] = [],
  prefix = '',
): Diagnostic[] {
  if (!value) return [];
  const diagnostics: Diagnostic[] = [];
  // A conflict declared on one side binds both; declared on both, it is reported once.
  let conflicts: Set<string> | undefined;
  const fields = blockFields(block);
  for (const { name, attribute } of fields.attributes) {
    const rule = rules[prefix + name];
    const current = value[name] ?? null;
    if (!rule || current === null || isUnknown(current)) continue;
    const problem = rule.checks && checkAttribute(attribute, rule.checks, current, path, name);
    if (problem) diagnostics.push(problem);
    for (const other of rule.conflictsWith ?? []) {
      const otherValue = value[other] ?? null;
      const [first, second] = [name, other].sort() as [string, string];
      const pair = `${first}\0${second}`;
      if (otherValue !== null && !isUnknown(otherValue) && !conflicts?.has(pair)) {
        (conflicts ??= new Set()).add(pair);
        diagnostics.push(
          error(
            'Conflicting attributes',
            `Only one of ${formatPath([...path, first])} and ${formatPath([...path, second])} can be set; remove one of them.`,
            located([...path, first], attribute.sensitive === true || block.attributes?.[other]?.sensitive === true),
          ),
        );
      }
    }
    for (const needed of rule.requires ?? []) {
      if ((value[needed] ?? null) === null) {
        diagnostics.push(
          error(
            'Missing required attribute',
            `${formatPath([...path, name])} requires ${formatPath([...path, needed])}: set ${needed} too, or remove ${name}.`,
            [...path, name],
          ),
        );
      }
    }
  }
  for (const { name, nested } of fields.blockTypes) {
    const current = value[name];
    if (Array.isArray(current)) {
      const problem = countProblem(current.length, nested.min_items, nested.max_items || undefined, 'block');
      if (problem) {
        const where = [...path, name];
        diagnostics.push(error(`Wrong number of ${name} blocks`, problem(formatPath(where)), where));
      }
      current.forEach((item, index) =>
        diagnostics.push(
          ...validateObject(nested.block, rules, item as ObjectValue, [...path, name, index], `${prefix}${name}.`),
        ),
      );
    } else if (current && !isUnknown(current)) {
      diagnostics.push(
        ...validateObject(nested.block, rules, current as ObjectValue, [...path, name], `${prefix}${name}.`),
      );
    }
  }
  return diagnostics;
}

/**
 * The first problem of a known value, as a diagnostic. The messages name the attribute: its path
 * is formatted only for a problem, since almost every value checked has none.
 */
function checkAttribute(
  attribute: TerraformAttribute,
  checks: ValueChecks,
  value: Value,
  parent: PathStep[],
  step: string,
): Diagnostic | undefined {
  if (Array.isArray(value)) {
    const problem =
      countProblem(value.length, checks.minItems, checks.maxItems, 'element') ??
      elementProblem(checks.items ?? {}, value, attribute.sensitive);
    if (!problem) return undefined;
    const path = [...parent, step];
    const name = formatPath(path);
    return error(`Invalid value for ${name}`, problem(name), path);
  }
  const problem = valueProblem(checks, value, attribute.sensitive);
  if (!problem) return undefined;
  const path = [...parent, step];
  const name = formatPath(path);
  const secret = attribute.sensitive === true || (typeof value === 'string' && mayHoldCredentials(value));
  return error(`Invalid value for ${name}`, problem(name), located(path, secret));
}

/** A problem's sentence, completed with the name of the attribute or element it is about. */
type Problem = (name: string) => string;

/** The first element's problem, if any element has one. */
function elementProblem(items: ValueChecks, values: Value[], sensitive: boolean | undefined): Problem | undefined {
  for (const item of values) {
    const found = valueProblem(items, item, sensitive);
    if (found) return (name) => found(`each element of ${name}`);
  }
  return undefined;
}

/** Strings and numbers have checks; other values (booleans) none. */
const valueProblem = (checks: ValueChecks, value: Value, sensitive: boolean | undefined): Problem | undefined =>
  typeof value === 'string'
    ? stringProblem(checks, value, sensitive)
    : typeof value === 'number'
      ? numberProblem(checks, value)
      : undefined;

/** What is wrong with a string, as a sentence naming the attribute and what is accepted. */
function stringProblem(checks: ValueChecks, value: string, sensitive = false): Problem | undefined {
  const length = characters(value);
  if (checks.minLength !== undefined && length < checks.minLength) {
    const { minLength } = checks;
    return minLength === 1
      ? (name) => `${name} must not be empty; remove the argument to leave it unset.`
      : (name) => `${name} must be at least ${minLength} characters long.`;
  }
  if (checks.maxLength !== undefined && length > checks.maxLength) {
    const { maxLength } = checks;
    return (name) => `${name} must be at most ${maxLength} characters long; it has ${length}.`;
  }
  const allowed = checks.enum;
  if (allowed && !allowed.includes(value))
    return (name) => `${name} must be one of ${allowed.map((v) => `"${v}"`).join(', ')}${got(value, sensitive)}.`;
  const format = checks.format ? FORMATS[checks.format] : undefined;
  const formatProblem = format?.problem(value);
  if (format && formatProblem)
    return (name) => `${name} must be ${format.accepted}, but it ${formatProblem}${got(value, sensitive)}.`;
  if (checks.pattern !== undefined && !new RegExp(checks.pattern, 'u').test(value))
    return (name) => `${name} must match the regular expression ${checks.pattern}${got(value, sensitive)}.`;
  if (checks.minDuration !== undefined && checks.maxDuration !== undefined) {
    const ms = parseDuration(value)!;
    const range = `from ${checks.minDuration} to ${checks.maxDuration}`;
    if (ms < parseDuration(checks.minDuration)! || ms > parseDuration(checks.maxDuration)!)
      return (name) => `${name} must be a duration ${range}${got(value, sensitive)}.`;
    if (!isWholeMilliseconds(value))
      return (name) => `${name} must be a whole number of milliseconds (${range})${got(value, sensitive)}.`;
  }
  return undefined;
}

/** Too few or too many elements of a list or set, or blocks of a kind. */
function countProblem(
  count: number,
  min: number | undefined,
  max: number | undefined,
  what: string,
): Problem | undefined {
  if (min !== undefined && count < min)
    return (name) => `${name} needs at least ${plural(min, what)}; it has ${count}.`;
  if (max !== undefined && count > max) return (name) => `${name} takes at most ${plural(max, what)}; it has ${count}.`;
  return undefined;
}

const plural = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;

function numberProblem(checks: ValueChecks, value: number): Problem | undefined {
  const outOfRange =
    (checks.minimum !== undefined && value < checks.minimum) ||
    (checks.maximum !== undefined && value > checks.maximum);
  if (Number.isFinite(value) && !(checks.integer && !Number.isInteger(value)) && !outOfRange) return undefined;
  const range =
    checks.minimum !== undefined && checks.maximum !== undefined
      ? ` from ${checks.minimum} to ${checks.maximum}`
      : checks.minimum !== undefined
        ? ` of at least ${checks.minimum}`
        : checks.maximum !== undefined
          ? ` of at most ${checks.maximum}`
          : '';
  const kind = checks.integer ? 'a whole number' : 'a number';
  return (name) => `${name} must be ${kind}${range}; got ${value}.`;
}

const mayHoldCredentials = (value: string) => value.includes('@') || value.includes('://');

/**
 * Where a diagnostic points. With an attribute's path Terraform prints its configuration line under
 * the message: for a secret, the enclosing block's instead (its header line), or none at the top.
 */
function located(path: PathStep[], secret: boolean): PathStep[] | undefined {
  if (!secret) return path;
  return path.length > 1 ? path.slice(0, -1) : undefined;
}

/** A length as JSON Schema counts it, and as people do: in characters (code points), not UTF-16 units. */
function characters(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    count++;
  }
  return count;
}

/**
 * A value quoted for a message, or undefined for one that may carry credentials (a URL, anything
 * with an `@`). A long one is cut short, with its length, so that a message never echoes it whole.
 */
export function quoted(value: string): string | undefined {
  if (mayHoldCredentials(value)) return undefined;
  if (value.length <= 64) return JSON.stringify(value);
  const head = value.slice(0, /[\ud800-\udbff]/.test(value[63]!) ? 63 : 64);
  return `${JSON.stringify(`${head}…`)} (${characters(value)} characters)`;
}

/** The value as a message ends with it: nothing for a sensitive one. */
function got(value: string, sensitive: boolean): string {
  const text = sensitive ? undefined : quoted(value);
  return text ? `; got ${text}` : '';
}
