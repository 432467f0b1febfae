import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CdkLibrary, emitConstructs } from './emit-constructs';
import { emitDocs } from './emit-docs';
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
  return [
    { path: 'generated/types.ts', content: await emitTypes(files) },
    { path: 'generated/provider-schema.json', content: json(emitTerraformSchema(model)) },
    { path: 'generated/plan-rules.json', content: json(emitPlanRules(model)) },
    ...emitConstructs(model, cdkLibrary).map((f) => ({ path: `generated/cdktf/${f.path}`, content: f.content })),
    ...emitDocs(model, join(root, 'examples')).map((f) => ({ path: `docs/${f.path}`, content: f.content })),
  ];
}
