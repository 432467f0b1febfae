import { parseDuration } from './duration';
import { type Diagnostic, type PathStep, error, formatPath } from './diagnostics';
import type { AttributeRules, SchemaRules, TerraformAttribute, TerraformBlock, ValueChecks } from './schema';
import { type ObjectValue, type Value, isUnknown } from './values';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HOST = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i;
const IPV6 = /^\[?[0-9a-f:.]+\]?$/i;

/**
 * The checks declared in the schema rules, on every known value: unknown values pass until they
 * are known (Terraform validates again at plan). A sensitive value is never repeated in a message.
 */
export function validateObject(block: TerraformBlock, rules: SchemaRules, value: ObjectValue | null, path: PathStep[] = [], prefix = ''): Diagnostic[] {
  if (!value) return [];
  const diagnostics: Diagnostic[] = [];
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const rule = rules[prefix + name];
    const current = value[name] ?? null;
    if (!rule || current === null || isUnknown(current)) continue;
    diagnostics.push(...checkAttribute(attribute, rule, current, [...path, name]));
    for (const other of rule.conflictsWith ?? []) {
      const otherValue = value[other] ?? null;
      if (otherValue !== null && !isUnknown(otherValue) && name < other) {
        diagnostics.push(error('Conflicting attributes', `Only one of ${formatPath([...path, name])} and ${formatPath([...path, other])} can be set; remove one of them.`, [...path, name]));
      }
    }
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const current = value[name];
    if (Array.isArray(current)) {
      current.forEach((item, index) => diagnostics.push(...validateObject(nested.block, rules, item as ObjectValue, [...path, name, index], `${prefix}${name}.`)));
    } else if (current && !isUnknown(current)) {
      diagnostics.push(...validateObject(nested.block, rules, current as ObjectValue, [...path, name], `${prefix}${name}.`));
    }
  }
  return diagnostics;
}

function checkAttribute(attribute: TerraformAttribute, rule: AttributeRules, value: Value, path: PathStep[]): Diagnostic[] {
  const checks = rule.checks;
  if (!checks) return [];
  const name = formatPath(path);
  const shown = attribute.sensitive ? '' : `; got ${JSON.stringify(withoutCredentials(value))}`;
  const invalid = (detail: string) => [error(`Invalid value for ${name}`, `${detail}${shown}.`, path)];
  if (Array.isArray(value)) return checkItems(checks, value, path);
  if (typeof value === 'string') {
    if (checks.minLength !== undefined && value.length < checks.minLength) {
      return [error(`Invalid value for ${name}`, `${name} must not be empty; remove the argument to leave it unset.`, path)];
    }
    if (checks.enum && !checks.enum.includes(value)) return invalid(`${name} must be one of ${checks.enum.map((v) => `"${v}"`).join(', ')}`);
    const formatProblem = checks.format ? FORMATS[checks.format]?.(value, name) : undefined;
    if (formatProblem) return invalid(formatProblem);
  }
  if (typeof value === 'number') {
    const range = checks.minimum !== undefined && checks.maximum !== undefined ? ` from ${checks.minimum} to ${checks.maximum}` : checks.minimum !== undefined ? ` of at least ${checks.minimum}` : '';
    const kind = checks.integer ? 'a whole number' : 'a number';
    const outOfRange = (checks.minimum !== undefined && value < checks.minimum) || (checks.maximum !== undefined && value > checks.maximum);
    if (Number.isNaN(value) || (checks.integer && !Number.isInteger(value)) || outOfRange) return invalid(`${name} must be ${kind}${range}`);
  }
  return [];
}

function checkItems(checks: ValueChecks, items: Value[], path: PathStep[]): Diagnostic[] {
  const name = formatPath(path);
  if (checks.itemMinLength !== undefined && items.some((item) => typeof item === 'string' && item.length < checks.itemMinLength!)) {
    return [error(`Invalid value for ${name}`, `${name} must not contain empty strings.`, path)];
  }
  return [];
}

/** Each named format: undefined when the value is fine, else what is expected. */
const FORMATS: Record<string, (value: string, name: string) => string | undefined> = {
  uuid: (v, name) => (UUID.test(v) ? undefined : `${name} must be a UUID such as "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"`),
  'go-duration': (v, name) => (parseDuration(v) !== undefined ? undefined : `${name} must be a Go duration such as "30m" or "1h30m"`),
  'http-url': (v, name) => (/^https?:\/\/[^\s/]+(\/\S*)?$/.test(v) ? undefined : `${name} must be an http:// or https:// URL`),
  host: (v, name) => {
    if (URL_SCHEME.test(v)) {
      return `${name} must be a host name or IP address, not a URL: put the host in host, the port in port, the database in db_name and the user in username (for ${v.split('://')[0]}://user@db.example.com:5432/app: host = "db.example.com", port = 5432)`;
    }
    if (HOST.test(v) || IPV6.test(v)) return undefined;
    return `${name} must be a host name or IP address, without scheme, port, path or spaces`;
  },
};

/** A URL pasted where a host belongs may carry a password: never repeat it. */
function withoutCredentials(value: Value): Value {
  return typeof value === 'string' ? value.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@') : value;
}
