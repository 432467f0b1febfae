import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { isWholeMilliseconds, parseDuration } from '../vocabulary/duration';
import { FORMATS } from '../vocabulary/formats';

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
/**
 * The JSON Schema keywords the generator carries through, by the type they apply to: each one is
 * enforced (by validation, by Terraform's schema or by the generated types) or only describes. Any
 * other keyword is refused, so that a rule written in schema/ is never silently dropped.
 */
const KEYWORDS: Record<string, readonly string[]> = {
  string: ['enum', 'format', 'minLength', 'maxLength', 'pattern', 'default'],
  integer: ['minimum', 'maximum', 'default'],
  number: ['minimum', 'maximum', 'default'],
  boolean: ['default'],
  array: ['items', 'minItems', 'maxItems', 'uniqueItems'],
  object: ['properties', 'required', 'additionalProperties'],
};
const ANY_TYPE_KEYWORDS = ['type', 'title', 'description', 'x-terraform'];
const ROOT_KEYWORDS = ['$schema', '$id', '$defs'];
/** Beside a `$ref`: what the referring place says of its own (its words, its Terraform behaviour). */
const REF_KEYWORDS = ['$ref', 'description', 'x-terraform'];
const COUNT_KEYWORDS = ['minLength', 'maxLength', 'minItems', 'maxItems'];
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
  'versionOf',
  'env',
  'fallback',
  'minDuration',
  'maxDuration',
]);
/** The longest delay a Node.js timer takes; a longer duration would fire at once. */
const TIMER_MAX_MS = 2 ** 31 - 1;
const KINDS = new Set(['provider', 'resource', 'data-source']);

/** Schema files by their path relative to the schema folder, for references across files. */
export type SchemaFiles = ReadonlyMap<string, unknown>;

/**
 * Every schema file, checked, with its references to other files inlined: the later stages see one
 * file at a time. A referenced schema with a title keeps its name in the generated types (`tsType`).
 */
export function loadSchemaDir(dir: string): SchemaFile[] {
  const files = new Map(
    listJson(dir).map((path) => {
      const file = relative(dir, path);
      try {
        return [file, JSON.parse(readFileSync(path, 'utf8')) as unknown];
      } catch (error) {
        throw new SchemaError(file, '', `not valid JSON (${(error as Error).message})`);
      }
    }),
  );
  for (const [file, json] of files) checkSchema(file, json, files);
  return [...files].map(([file, json]) => ({ file, json: inlineOtherFiles(file, json, files) as JsonSchema }));
}

function inlineOtherFiles(file: string, node: unknown, files: SchemaFiles): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineOtherFiles(file, item, files));
  if (!isObject(node)) return node;
  if (typeof node.$ref === 'string' && !node.$ref.startsWith('#')) {
    const { $ref, ...own } = node;
    const target: Record<string, unknown> = { ...resolveRef(file, {}, $ref, '', files) };
    const title = target.title;
    // What names the other file's root, not the schema of a value.
    for (const key of [...ROOT_KEYWORDS, 'title']) delete target[key];
    return { ...target, ...(typeof title === 'string' ? { tsType: title } : {}), ...own };
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inlineOtherFiles(file, value, files)]));
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
export function checkSchema(file: string, root: unknown, files: SchemaFiles = new Map()): void {
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
  checkNode(file, root, '', root, files);
  const defs = root.$defs ?? {};
  if (!isObject(defs)) throw new SchemaError(file, '/$defs', 'must be an object of schemas');
  for (const [name, def] of Object.entries(defs)) {
    if (!isObject(def)) throw new SchemaError(file, `/$defs/${escapePointer(name)}`, 'must be a schema object');
    checkNode(file, def, `/$defs/${escapePointer(name)}`, root, files);
  }
}

function checkNode(
  file: string,
  node: Record<string, unknown>,
  pointer: string,
  root: Record<string, unknown>,
  files: SchemaFiles,
): void {
  if (typeof node.$ref === 'string') {
    refuseOtherKeywords(file, node, pointer, REF_KEYWORDS);
    const target = resolveRef(file, root, node.$ref, pointer, files);
    if (!node.$ref.startsWith('#') && JSON.stringify(target).includes('"$ref"'))
      throw new SchemaError(file, `${pointer}/$ref`, `${node.$ref} holds a $ref itself; refer to its target instead`);
    checkAnnotations(file, { ...target, ...node }, pointer);
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
  refuseOtherKeywords(file, node, pointer, [
    ...ANY_TYPE_KEYWORDS,
    ...KEYWORDS[String(node.type)]!,
    ...(pointer === '' ? ROOT_KEYWORDS : []),
  ]);
  checkKeywordValues(file, node, pointer);
  if (pointer !== '') checkAnnotations(file, node, pointer);
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
      if (/\bdefaults to\b|\(the default\)/i.test(String(child.description ?? '')))
        throw new SchemaError(
          file,
          `${at}/description`,
          'says its default by hand; the generator writes "Defaults to ..." from default, fallback and env',
        );
      checkNode(file, child, at, root, files);
    }
    checkSiblingNames(file, properties, pointer);
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
    if (node.items.type === 'array')
      throw new SchemaError(file, `${pointer}/items/type`, 'a list of lists is not supported by the generator');
    checkNode(file, node.items, `${pointer}/items`, root, files);
  }
}

function refuseOtherKeywords(
  file: string,
  node: Record<string, unknown>,
  pointer: string,
  known: readonly string[],
): void {
  for (const key of Object.keys(node)) {
    if (!known.includes(key)) {
      const where = typeof node.$ref === 'string' ? 'beside a $ref' : `on type ${JSON.stringify(node.type)}`;
      throw new SchemaError(
        file,
        `${pointer}/${escapePointer(key)}`,
        `the generator does not support the keyword ${JSON.stringify(key)} ${where}; supported there: ${known.join(', ')}`,
      );
    }
  }
}

/** The values of the keywords validation enforces, of the kind it reads them as. */
function checkKeywordValues(file: string, node: Record<string, unknown>, pointer: string): void {
  for (const key of COUNT_KEYWORDS) {
    const value = node[key];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0))
      throw new SchemaError(file, `${pointer}/${key}`, 'must be a whole number of at least 0');
  }
  for (const key of ['minimum', 'maximum']) {
    if (node[key] !== undefined && !Number.isFinite(node[key]))
      throw new SchemaError(file, `${pointer}/${key}`, 'must be a number');
  }
  if (node.enum !== undefined && !(Array.isArray(node.enum) && node.enum.every((v) => typeof v === 'string')))
    throw new SchemaError(file, `${pointer}/enum`, 'must be an array of strings');
  if (node.uniqueItems !== undefined && typeof node.uniqueItems !== 'boolean')
    throw new SchemaError(file, `${pointer}/uniqueItems`, 'must be true or false');
  if (node.additionalProperties !== undefined && node.additionalProperties !== false)
    throw new SchemaError(
      file,
      `${pointer}/additionalProperties`,
      'must be false (Terraform refuses unknown arguments)',
    );
  if (node.pattern !== undefined) {
    try {
      new RegExp(String(node.pattern), 'u');
      if (typeof node.pattern !== 'string') throw new Error('not a string');
    } catch (error) {
      throw new SchemaError(file, `${pointer}/pattern`, `must be a regular expression (${(error as Error).message})`);
    }
  }
}

function checkAnnotations(file: string, node: Record<string, unknown>, pointer: string): void {
  const terraform = node['x-terraform'];
  if (terraform === undefined) return;
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

/**
 * `conflictsWith` and `requires` name siblings, `versionOf` a write-only sibling: a misspelt name
 * would be a rule that never fires.
 */
function checkSiblingNames(file: string, properties: Record<string, unknown>, pointer: string): void {
  for (const [name, child] of Object.entries(properties)) {
    const terraform = (child as Record<string, unknown>)['x-terraform'];
    if (!isObject(terraform)) continue;
    checkVersionOf(file, properties, name, terraform, `${pointer}/properties/${escapePointer(name)}/x-terraform`);
    for (const key of ['conflictsWith', 'requires']) {
      const names = terraform[key];
      if (names === undefined) continue;
      const at = `${pointer}/properties/${escapePointer(name)}/x-terraform/${key}`;
      if (!Array.isArray(names)) throw new SchemaError(file, at, 'must be an array of sibling property names');
      names.forEach((other, index) => {
        if (typeof other !== 'string' || !(other in properties) || other === name)
          throw new SchemaError(
            file,
            `${at}/${index}`,
            `names ${JSON.stringify(other)}, which is not a sibling property`,
          );
      });
    }
  }
}

/**
 * `versionOf`: this attribute is the version of a write-only sibling, which Terraform never stores
 * and so cannot compare. It replaces the object only when it changes from one version to another
 * (the new object's create is what sends the write-only value), so it needs `requiresReplace`.
 */
function checkVersionOf(
  file: string,
  properties: Record<string, unknown>,
  name: string,
  terraform: Record<string, unknown>,
  pointer: string,
): void {
  const target = terraform.versionOf;
  if (target === undefined) return;
  const sibling = typeof target === 'string' && target !== name ? properties[target] : undefined;
  if (!isObject(sibling) || !isObject(sibling['x-terraform']) || sibling['x-terraform'].writeOnly !== true)
    throw new SchemaError(
      file,
      `${pointer}/versionOf`,
      `names ${JSON.stringify(target)}, which is not a write-only sibling property`,
    );
  if (terraform.writeOnly === true || terraform.requiresReplace !== true)
    throw new SchemaError(
      file,
      pointer,
      'a versionOf attribute is stored and needs requiresReplace: a new version is sent by a new object',
    );
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

/**
 * A `#/json/pointer` in the same file, or `other.schema.json#/pointer` (the fragment optional) in
 * another file of the schema folder, relative to this one, as `$id`s resolve it.
 */
export function resolveRef(
  file: string,
  root: Record<string, unknown>,
  ref: string,
  pointer: string,
  files: SchemaFiles = new Map(),
): JsonSchema {
  const [path = '', fragment = ''] = ref.split('#', 2) as [string, string?];
  let node: unknown = root;
  if (path !== '') {
    const target = posix.normalize(posix.join(posix.dirname(file.split('\\').join('/')), path));
    if (!files.has(target))
      throw new SchemaError(
        file,
        `${pointer}/$ref`,
        `${ref} names ${target}, which is not a file of the schema folder`,
      );
    node = files.get(target);
  }
  if (fragment !== '' && !fragment.startsWith('/'))
    throw new SchemaError(file, `${pointer}/$ref`, `${ref}: the part after # must be a JSON pointer (#/...)`);
  for (const part of fragment.split('/').slice(1)) {
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
