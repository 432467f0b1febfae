import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { type CdkLibrary, emitConstructs } from './emit-constructs';
import { emitDocs, emitGuides } from './emit-docs';
import { emitPlanRules, emitTerraformSchema } from './emit-terraform-schema';
import { emitTypes } from './emit-types';
import { loadSchemaDir } from './load';
import { buildModel } from './model';

export interface GenerateOptions {
  root: string;
  cdkLibrary: CdkLibrary;
}

export interface OutputFile {
  /** Relative to the project root. */
  path: string;
  content: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every derived file, in memory: load, model, then one emitter per output kind. */
export async function generate({ root, cdkLibrary }: GenerateOptions): Promise<OutputFile[]> {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
  const files = loadSchemaDir(join(root, 'schema'));
  const model = buildModel(files, version);
  const emitted = [
    { path: 'generated/types.ts', content: await emitTypes(files) },
    { path: 'generated/provider-schema.json', content: json(emitTerraformSchema(model)) },
    { path: 'generated/plan-rules.json', content: json(emitPlanRules(model)) },
    ...emitConstructs(model, cdkLibrary).map((f) => ({ path: `generated/cdktf/${f.path}`, content: f.content })),
    ...[...emitDocs(model, join(root, 'examples')), ...emitGuides(join(root, 'examples/guides'))].map((f) => ({
      path: `docs/${f.path}`,
      content: f.content,
    })),
  ];
  return Promise.all(emitted.map(formatted));
}

/** Every file as prettier leaves it, with the project's own settings: the format check covers generated code too. */
async function formatted(file: OutputFile): Promise<OutputFile> {
  // This project's settings wherever the output goes: resolved for the same path inside it.
  const options = await resolveConfig(join(__dirname, '../..', file.path));
  return { path: file.path, content: await format(file.content, { ...options, filepath: file.path }) };
}
