import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TerraformType } from '../tfplugin/wire/schema';
import { describeRules } from './describe-rules';
import type { AttributeModel, BlockModel, ProviderModel, SchemaModel } from './model';

export interface DocFile {
  path: string;
  content: string;
}

/** Example files per page, in the layout of Terraform's provider scaffolding (`examples/`). */
export function emitDocs(model: ProviderModel, examplesDir: string): DocFile[] {
  const example = (path: string) => readFileSync(join(examplesDir, path), 'utf8').trimEnd();
  const page = (schema: SchemaModel, folder: string, heading: string, extra = '', intro = '') => {
    const stem =
      folder === 'provider'
        ? 'provider/provider'
        : `${folder}/${schema.typeName}/${folder === 'resources' ? 'resource' : 'data-source'}`;
    return (
      [
        '---',
        `page_title: "${heading}"`,
        `description: |-\n  ${firstSentence(schema.description)}`,
        '---',
        '',
        `# ${heading}`,
        '',
        schema.description,
        '',
        ...(intro ? [intro, ''] : []),
        '## Example Usage (HCL)',
        '',
        '```terraform',
        example(`${stem}.tf`),
        '```',
        '',
        '## Example Usage (CDKTF, TypeScript)',
        '',
        '```typescript',
        example(`${stem}.ts`),
        '```',
        '',
        ...schemaSection(schema.block),
        extra,
      ]
        .join('\n')
        .trimEnd() + '\n'
    );
  };
  const resourceShort = (s: SchemaModel) => s.typeName.split('_').slice(1).join('_');
  return [
    {
      path: 'index.md',
      content: page(
        model.provider,
        'provider',
        `${model.name} Provider`,
        '',
        example('provider/install.md').replaceAll('{{version}}', model.version),
      ),
    },
    ...model.resources.map((s) => ({
      path: `resources/${resourceShort(s)}.md`,
      content: page(
        s,
        'resources',
        `${s.typeName} (Resource)`,
        importSection(s, example(`resources/${s.typeName}/import.sh`)),
      ),
    })),
    ...model.dataSources.map((s) => ({
      path: `data-sources/${resourceShort(s)}.md`,
      content: page(s, 'data-sources', `${s.typeName} (Data Source)`),
    })),
  ];
}

function importSection(schema: SchemaModel, shell: string): string {
  return [
    '',
    '## Import',
    '',
    `Import adopts the most recent migration of a cluster, by the cluster's UUID:`,
    '',
    '```shell',
    shell,
    '```',
    '',
    `or with an \`import\` block (Terraform 1.5+):`,
    '',
    '```terraform',
    `import {\n  to = ${schema.typeName}.example\n  id = "9cc10173-e9ea-4176-9dbc-a4cee4c4ff30"\n}`,
    '```',
    '',
    "The API cannot show a migration's source, so `source` (and the password fields) is not read back:",
    'write the `source` block in the configuration before the first apply, which then copies it into',
    'state as an in-place update with no API call. `terraform plan -generate-config-out` cannot fill',
    '`source` either: the generated block has none, and the plan fails until you add it.',
  ].join('\n');
}

function schemaSection(block: BlockModel): string[] {
  const lines = ['## Schema', ''];
  const groups: Array<[string, (a: AttributeModel) => boolean]> = [
    ['Required', (a) => a.required],
    ['Optional', (a) => a.optional],
    ['Read-Only', (a) => !a.required && !a.optional],
  ];
  for (const [title, keep] of groups) {
    const attributes = block.attributes.filter(keep);
    const blocks = title === 'Read-Only' ? [] : block.blocks.filter((b) => (title === 'Required') === b.minItems > 0);
    if (attributes.length + blocks.length === 0) continue;
    lines.push(`### ${title}`, '');
    for (const a of attributes) lines.push(attributeLine(a));
    for (const b of blocks)
      lines.push(
        `- \`${b.name}\` (Block${b.nesting === 'list' ? ` List, Max: ${b.maxItems}` : ''}) ${b.description} (see [below for nested schema](#nestedblock--${b.name}))`,
      );
    lines.push('');
  }
  for (const b of block.blocks) {
    lines.push(`<a id="nestedblock--${b.name}"></a>`, `### Nested Schema for \`${b.name}\``, '');
    for (const [title, keep] of groups.slice(0, 2)) {
      const attributes = b.block.attributes.filter(keep);
      if (attributes.length === 0) continue;
      lines.push(`${title}:`, '');
      for (const a of attributes) lines.push(attributeLine(a));
      lines.push('');
    }
  }
  return lines;
}

/** The attribute's line: type, description, then what validation accepts. */
function attributeLine(a: AttributeModel): string {
  const rules = a.required || a.optional ? describeRules(a.rules) : '';
  return `- \`${a.name}\` (${describeType(a)}) ${a.description}${rules ? ` ${rules}` : ''}`;
}

function describeType(a: AttributeModel): string {
  const flags = [a.sensitive ? 'Sensitive' : '', a.writeOnly ? 'Write-only' : ''].filter(Boolean);
  return [typeName(a.type), ...flags].join(', ');
}

function typeName(type: TerraformType): string {
  if (Array.isArray(type))
    return `${type[0] === 'set' ? 'Set' : type[0] === 'list' ? 'List' : 'Map'} of ${typeName(type[1])}`;
  return { string: 'String', number: 'Number', bool: 'Boolean' }[type];
}

function firstSentence(text: string): string {
  const match = /^.*?[.!?](\s|$)/.exec(text);
  return (match ? match[0] : text).trim();
}

/**
 * The guides (`docs/guides/`, as the Terraform Registry shows them): written by hand in
 * `examples/guides/`, copied as they are, so that `docs/` stays wholly derived.
 */
export function emitGuides(guidesDir: string): DocFile[] {
  return readdirSync(guidesDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => ({ path: `guides/${name}`, content: readFileSync(join(guidesDir, name), 'utf8') }));
}
