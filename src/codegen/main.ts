import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CdkLibrary } from './emit-constructs';
import { generate } from './generate';
import { SchemaError } from './load';

const USAGE = 'usage: generate [--check] [--root DIR] [--out DIR] [--cdk-library cdktf|cdktn]';

/** What generate writes, wholly: the guides in docs/guides/ are copies of examples/guides/. */
const GENERATED_DIRS = ['generated', 'docs'];
const generatedOnDisk = (out: string) =>
  GENERATED_DIRS.flatMap((dir) => listFiles(join(out, dir)).map((p) => relative(out, p)));

/** Writes generated/ and docs/, or with --check reports which files are stale and exits 1. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      root: { type: 'string', default: '.' },
      out: { type: 'string' },
      'cdk-library': { type: 'string', default: process.env.CDK_LIBRARY || 'cdktf' },
    },
  });
  const library = values['cdk-library'];
  if (library !== 'cdktf' && library !== 'cdktn') {
    console.error(`--cdk-library must be cdktf or cdktn (got ${JSON.stringify(library)})\n${USAGE}`);
    return 2;
  }
  const root = resolve(values.root);
  const out = resolve(values.out ?? root);
  const files = await generate({ root, cdkLibrary: library as CdkLibrary });
  if (values.check) return check(out, files);
  for (const path of generatedOnDisk(out)) rmSync(join(out, path));
  for (const file of files) {
    const path = join(out, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  console.log(`generate: wrote ${files.length} files under ${relative(process.cwd(), out) || '.'}/{generated,docs}`);
  return 0;
}

function check(out: string, files: { path: string; content: string }[]): number {
  const expected = new Map(files.map((f) => [f.path, f.content]));
  const onDisk = generatedOnDisk(out);
  const stale = [
    ...files
      .filter((f) => !existsSync(join(out, f.path)) || readFileSync(join(out, f.path), 'utf8') !== f.content)
      .map((f) => f.path),
    ...onDisk.filter((p) => !expected.has(p)),
  ];
  if (stale.length === 0) {
    console.log(`generate --check: ${files.length} files up to date`);
    return 0;
  }
  console.error(`generate --check: stale, run \`make generate\` and commit:\n${stale.map((p) => `  ${p}`).join('\n')}`);
  return 1;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof SchemaError ? `generate: ${error.message}` : error);
    process.exit(1);
  },
);
