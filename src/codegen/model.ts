import type { TerraformType } from '../tfplugin/wire/schema';
import type { AttributeRules, ValueChecks } from '../tfplugin/framework/rules';
import { PROVIDER_ADDRESS, PROVIDER_SOURCE, PROVIDER_TYPE } from '../version';
import { describeDefault } from './describe-rules';
import { type JsonSchema, type SchemaFile, SchemaError, resolveRef } from './load';

export type SchemaKind = 'provider' | 'resource' | 'data-source';

export interface AttributeModel {
  name: string;
  type: TerraformType;
  description: string;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  writeOnly: boolean;
  rules: AttributeRules;
}

export interface NestedBlockModel {
  name: string;
  nesting: 'list' | 'single';
  minItems: number;
  maxItems: number;
  description: string;
  /** Name of the generated struct, as `cdktf get` would derive it. */
  structName: string;
  rules: AttributeRules;
  block: BlockModel;
}

export interface BlockModel {
  attributes: AttributeModel[];
  blocks: NestedBlockModel[];
}

export interface SchemaModel {
  kind: SchemaKind;
  typeName: string;
  version: number;
  description: string;
  file: string;
  /** The construct class name, as `cdktf get` derives it. */
  className: string;
  block: BlockModel;
}

export interface ProviderModel {
  name: string;
  /** Short source address, as in `required_providers`. */
  source: string;
  /** Full source address, as Terraform prints it. */
  address: string;
  version: string;
  provider: SchemaModel;
  resources: SchemaModel[];
  dataSources: SchemaModel[];
}

export function buildModel(files: SchemaFile[], version: string): ProviderModel {
  const schemas = files.filter((f) => f.json['x-terraform'] !== undefined).map(buildSchema);
  const providers = schemas.filter((s) => s.kind === 'provider');
  if (providers.length !== 1) {
    throw new SchemaError(
      files[0]?.file ?? '',
      '/x-terraform/kind',
      `exactly one schema must be the provider (found ${providers.length})`,
    );
  }
  const provider = providers[0]!;
  // Terraform finds a resource's provider by the prefix of its type name.
  for (const schema of schemas) {
    const expected = schema.kind === 'provider' ? PROVIDER_TYPE : `${PROVIDER_TYPE}_`;
    if (schema.kind === 'provider' ? schema.typeName !== expected : !schema.typeName.startsWith(expected))
      throw new SchemaError(
        schema.file,
        '/x-terraform/typeName',
        `must ${schema.kind === 'provider' ? 'be' : 'start with'} "${expected}", the provider's type name in src/identity.json`,
      );
  }
  return {
    name: provider.typeName,
    source: PROVIDER_SOURCE,
    address: PROVIDER_ADDRESS,
    version,
    provider,
    resources: schemas.filter((s) => s.kind === 'resource'),
    dataSources: schemas.filter((s) => s.kind === 'data-source'),
  };
}

function buildSchema({ file, json }: SchemaFile): SchemaModel {
  const terraform = json['x-terraform']!;
  const kind = terraform.kind as SchemaKind;
  const typeName = terraform.typeName as string;
  const className = classNameFor(kind, typeName);
  return {
    kind,
    typeName,
    version: Number(terraform.schemaVersion ?? 0),
    description: json.description ?? '',
    file,
    className,
    block: buildBlock(file, json, json, '', className),
  };
}

/** `cdktf get` names: the provider `DodbProvider`, resources without the provider prefix, data sources with `Data`. */
function classNameFor(kind: SchemaKind, typeName: string): string {
  if (kind === 'provider') return `${pascal(typeName)}Provider`;
  if (kind === 'data-source') return `Data${pascal(typeName)}`;
  return pascal(typeName.split('_').slice(1).join('_'));
}

function buildBlock(
  file: string,
  root: JsonSchema,
  node: JsonSchema,
  pointer: string,
  structPrefix: string,
): BlockModel {
  const attributes: AttributeModel[] = [];
  const blocks: NestedBlockModel[] = [];
  const required = new Set(node.required ?? []);
  for (const [name, raw] of Object.entries(node.properties ?? {})) {
    const at = `${pointer}/properties/${name}`;
    const schema = deref(file, root, raw, at);
    const terraform = schema['x-terraform'] ?? {};
    if (terraform.block !== undefined) {
      if (pointer !== '')
        throw new SchemaError(
          file,
          `${at}/x-terraform/block`,
          'a block inside a block is not supported by the generator; make it an attribute',
        );
      const items = schema.type === 'array' ? deref(file, root, schema.items!, `${at}/items`) : schema;
      const structName = `${structPrefix}${pascal(name)}`;
      blocks.push({
        name,
        nesting: terraform.block === 'single' ? 'single' : 'list',
        minItems: Number(schema.minItems ?? 0),
        maxItems: Number(schema.maxItems ?? 0),
        description: schema.description ?? '',
        structName,
        rules: pickRules(terraform),
        block: buildBlock(file, root, items, schema.type === 'array' ? `${at}/items` : at, structName),
      });
      continue;
    }
    const computed = terraform.computed === true || schema.default !== undefined;
    const isRequired = required.has(name);
    const rules: AttributeRules = {
      ...pickRules(terraform),
      ...(schema.default !== undefined ? { default: schema.default } : {}),
      ...checksOf(file, root, schema, at),
    };
    attributes.push({
      name,
      type: terraformType(file, at, schema, root),
      description: [schema.description ?? '', describeDefault(rules)].filter(Boolean).join(' '),
      required: isRequired,
      optional: !isRequired && !(terraform.computed === true),
      computed,
      sensitive: terraform.sensitive === true,
      writeOnly: terraform.writeOnly === true,
      rules,
    });
  }
  return { attributes, blocks };
}

function pickRules(terraform: Record<string, unknown>): AttributeRules {
  const rules: AttributeRules = {};
  if (terraform.requiresReplace === true) rules.requiresReplace = true;
  if (terraform.keepPrior === true) rules.keepPrior = true;
  if (terraform.fallback !== undefined) rules.fallback = terraform.fallback;
  if (Array.isArray(terraform.env)) rules.env = terraform.env.map(String);
  if (Array.isArray(terraform.conflictsWith)) rules.conflictsWith = terraform.conflictsWith.map(String);
  if (Array.isArray(terraform.requires)) rules.requires = terraform.requires.map(String);
  if (typeof terraform.versionOf === 'string') rules.versionOf = terraform.versionOf;
  return rules;
}

function checksOf(file: string, root: JsonSchema, schema: JsonSchema, at: string): { checks?: ValueChecks } {
  const checks: ValueChecks = {};
  const copy = <K extends keyof ValueChecks>(key: K, value: unknown) => {
    if (value !== undefined) checks[key] = value as ValueChecks[K];
  };
  copy('format', schema.format);
  copy('enum', schema.enum);
  copy('minimum', schema.minimum);
  copy('maximum', schema.maximum);
  copy('minLength', schema.minLength);
  copy('maxLength', schema.maxLength);
  copy('pattern', schema.pattern);
  copy('minItems', schema.minItems);
  copy('maxItems', schema.maxItems);
  copy('minDuration', schema['x-terraform']?.minDuration);
  copy('maxDuration', schema['x-terraform']?.maxDuration);
  if (schema.type === 'integer') checks.integer = true;
  if (schema.type === 'array')
    copy('items', checksOf(file, root, deref(file, root, schema.items!, `${at}/items`), `${at}/items`).checks);
  return Object.keys(checks).length > 0 ? { checks } : {};
}

function terraformType(file: string, at: string, schema: JsonSchema, root: JsonSchema): TerraformType {
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    case 'array': {
      const items = deref(file, root, schema.items!, `${at}/items`);
      return [schema.uniqueItems === true ? 'set' : 'list', terraformType(file, `${at}/items`, items, root)];
    }
    default:
      throw new SchemaError(
        file,
        `${at}/type`,
        'an object attribute must be a block: add "x-terraform": {"block": "single"}',
      );
  }
}

/** The referenced schema, with what the referring place says of its own (description, annotations). */
function deref(file: string, root: JsonSchema, schema: JsonSchema, at: string): JsonSchema {
  if (!schema.$ref) return schema;
  const { $ref, ...own } = schema;
  return { ...resolveRef(file, root, $ref, at), ...own };
}

function pascal(snake: string): string {
  return snake
    .split(/[_-]/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

export function camel(snake: string): string {
  const p = pascal(snake);
  return p[0]!.toLowerCase() + p.slice(1);
}
