import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isWholeMilliseconds, parseDuration } from '../tfplugin/framework/duration';
import { FORMATS } from '../tfplugin/framework/formats';

export type JsonSchema = {
  [key: string]: unknown;
  type?: string;
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  enum?: string[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  'x-terraform'?: Record<string, unknown>;
};

export interface SchemaFile {
  /** Path relative to the schema folder, as error messages name it. */
  file: string;
  json: JsonSchema;
}

/** A schema the generator cannot use, located by file and JSON pointer. */
export class SchemaError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    detail: string,
  ) {
    super(`${file}#${pointer}: ${detail}`);
    this.name = 'SchemaError';
  }
}

const TYPES = new Set(['string', 'integer', 'number', 'boolean', 'array', 'object']);
const TERRAFORM_KEYS = new Set([
  'kind',
  'typeName',
  'schemaVersion',
  'computed',
  'sensitive',
  'writeOnly',
  'requiresReplace',
  'keepPrior',
  'block',
  'conflictsWith',
  'requires',
  'env',
  'fallback',
  'minDuration',
  'maxDuration',
]);
/** The longest delay a Node.js timer takes; a longer duration would fire at once. */
const TIMER_MAX_MS = 2 ** 31 - 1;
const KINDS = new Set(['provider', 'resource', 'data-source']);

export function loadSchemaDir(dir: string): SchemaFile[] {
  return listJson(dir).map((path) => {
    const file = relative(dir, path);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new SchemaError(file, '', `not valid JSON (${(error as Error).message})`);
    }
    checkSchema(file, json);
    return { file, json: json as JsonSchema };
  });
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listJson(path);
      return entry.name.endsWith('.schema.json') ? [path] : [];
    })
    .sort();
}

/** Structural checks the later stages rely on, so that they never meet a surprise. */
export function checkSchema(file: string, root: unknown): void {
  if (!isObject(root)) throw new SchemaError(file, '', 'a schema must be a JSON object');
  const terraform = root['x-terraform'];
  if (terraform !== undefined) {
    if (!isObject(terraform) || !KINDS.has(String(terraform.kind))) {
      throw new SchemaError(file, '/x-terraform/kind', `must be one of ${[...KINDS].join(', ')}`);
    }
    if (typeof terraform.typeName !== 'string' || !/^[a-z][a-z0-9_]*$/.test(terraform.typeName)) {
      throw new SchemaError(file, '/x-terraform/typeName', 'must be a snake_case Terraform type name');
    }
  }
  if (typeof root.title !== 'string')
    throw new SchemaError(file, '/title', 'a root schema needs a title (it names the generated type)');
  checkNode(file, root, '', root);
  const defs = root.$defs ?? {};
  if (!isObject(defs)) throw new SchemaError(file, '/$defs', 'must be an object of schemas');
  for (const [name, def] of Object.entries(defs)) {
    if (!isObject(def)) throw new SchemaError(file, `/$defs/${escapePointer(name)}`, 'must be a schema object');
    checkNode(file, def, `/$defs/${escapePointer(name)}`, root);
  }
}

function checkNode(file: string, node: Record<string, unknown>, pointer: string, root: Record<string, unknown>): void {
  if (typeof node.$ref === 'string') {
    resolveRef(file, root, node.$ref, pointer);
    return;
  }
  if (!TYPES.has(String(node.type))) {
    throw new SchemaError(
      file,
      `${pointer}/type`,
      `must be one of ${[...TYPES].join(', ')} (got ${JSON.stringify(node.type)})`,
    );
  }
  if (node.format !== undefined && !(String(node.format) in FORMATS)) {
    throw new SchemaError(
      file,
      `${pointer}/format`,
      `unknown format ${JSON.stringify(node.format)}; known: ${Object.keys(FORMATS).join(', ')}`,
    );
  }
  const terraform = node['x-terraform'];
  if (terraform !== undefined && pointer !== '') {
    if (!isObject(terraform)) throw new SchemaError(file, `${pointer}/x-terraform`, 'must be an object');
    for (const key of Object.keys(terraform)) {
      if (!TERRAFORM_KEYS.has(key)) {
        throw new SchemaError(
          file,
          `${pointer}/x-terraform/${key}`,
          `unknown annotation; known: ${[...TERRAFORM_KEYS].join(', ')}`,
        );
      }
    }
    checkDurationRange(file, node, terraform, `${pointer}/x-terraform`);
  }
  if (node.type === 'object') {
    const properties = node.properties;
    if (!isObject(properties))
      throw new SchemaError(file, `${pointer}/properties`, 'an object schema needs properties');
    for (const [name, child] of Object.entries(properties)) {
      const at = `${pointer}/properties/${escapePointer(name)}`;
      if (!isObject(child)) throw new SchemaError(file, at, 'must be a schema object');
      if (typeof child.description !== 'string' && child.$ref === undefined) {
        throw new SchemaError(file, `${at}/description`, 'every property needs a description (it becomes the docs)');
      }
      checkNode(file, child, at, root);
    }
    const required = node.required ?? [];
    if (!Array.isArray(required))
      throw new SchemaError(file, `${pointer}/required`, 'must be an array of property names');
    required.forEach((name, index) => {
      if (!(String(name) in properties)) {
        throw new SchemaError(
          file,
          `${pointer}/required/${index}`,
          `names ${JSON.stringify(name)}, which is not a property`,
        );
      }
    });
  }
  if (node.type === 'array') {
    if (!isObject(node.items)) throw new SchemaError(file, `${pointer}/items`, 'an array schema needs items');
    checkNode(file, node.items, `${pointer}/items`, root);
  }
}

/** Both bounds or none, on a go-duration, positive whole milliseconds a timer can wait. */
function checkDurationRange(
  file: string,
  node: Record<string, unknown>,
  terraform: Record<string, unknown>,
  pointer: string,
): void {
  const { minDuration: min, maxDuration: max } = terraform;
  if (min === undefined && max === undefined) return;
  if (node.format !== 'go-duration')
    throw new SchemaError(file, pointer, 'minDuration and maxDuration need "format": "go-duration"');
  for (const [key, value] of [
    ['minDuration', min],
    ['maxDuration', max],
  ] as const) {
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined || !isWholeMilliseconds(value as string) || ms < 1 || ms > TIMER_MAX_MS) {
      throw new SchemaError(
        file,
        `${pointer}/${key}`,
        `must be a Go duration of whole milliseconds from 1ms to ${TIMER_MAX_MS}ms (a timer's longest delay)`,
      );
    }
  }
  if (parseDuration(min as string)! > parseDuration(max as string)!)
    throw new SchemaError(file, pointer, 'minDuration is longer than maxDuration');
}

export function resolveRef(file: string, root: Record<string, unknown>, ref: string, pointer: string): JsonSchema {
  if (!ref.startsWith('#/'))
    throw new SchemaError(file, `${pointer}/$ref`, 'only local references (#/...) are supported');
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = isObject(node) ? node[unescapePointer(part)] : undefined;
  }
  if (!isObject(node)) throw new SchemaError(file, `${pointer}/$ref`, `${ref} does not resolve`);
  return node as JsonSchema;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const escapePointer = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~');
