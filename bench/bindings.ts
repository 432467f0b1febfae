import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { type Row, goal, median, ms } from './table';

const ROOT = join(__dirname, '..');
const MODULES = ['provider', 'online-migration', 'data-dodb-online-migration'];

/** Bindings compiled to JavaScript, as a user's build would load them. */
function compileBindings(): string {
  const out = join(ROOT, '.tmp/bench-bindings');
  mkdirSync(out, { recursive: true });
  buildSync({
    entryPoints: [
      join(ROOT, 'generated/cdktf/cdk.ts'),
      ...MODULES.map((m) => join(ROOT, 'generated/cdktf', m, 'index.ts')),
    ],
    outdir: out,
    outbase: join(ROOT, 'generated/cdktf'),
    format: 'cjs',
    platform: 'node',
    bundle: false,
    logLevel: 'error',
  });
  return out;
}

/** Runs in a fresh node process on compiled JavaScript: no TypeScript loader, no source maps. */
function node(script: string): string {
  return execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
}

function timeRequires(before: string[], measured: string[]): number {
  return Number(
    node(`${before.map((m) => `require(${JSON.stringify(m)});`).join('')}
const t0 = process.hrtime.bigint();${measured.map((m) => `require(${JSON.stringify(m)});`).join('')}
console.log(Number(process.hrtime.bigint() - t0) / 1e6);`),
  );
}

/** Median synthesis times of `count` migrations and `count` terraform_data, alternating, in one process. */
function synthTimes(dir: string, count: number, rounds: number): { migrations: number[]; data: number[] } {
  return JSON.parse(
    node(`
const { App, DataResource, TerraformStack } = require('cdktf');
const { OnlineMigration } = require(${JSON.stringify(join(dir, 'online-migration/index.js'))});
const outdir = ${JSON.stringify(join(ROOT, '.tmp/bench-synth'))};
function time(add) {
  const app = new App({ outdir, skipValidation: true });
  const stack = new TerraformStack(app, 'bench');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ${count}; i++) add(stack, i);
  app.synth();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const result = { migrations: [], data: [] };
for (let r = 0; r < ${rounds}; r++) {
  result.data.push(time((stack, n) => new DataResource(stack, 'd' + n, { input: { host: 'db' + n + '.example.com', port: 5432 } })));
  result.migrations.push(time((stack, n) => new OnlineMigration(stack, 'm' + n, {
    clusterId: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
    source: { host: 'db' + n + '.example.com', port: 5432, dbName: 'app', username: 'u' },
    ignoreDbs: ['scratch'],
  })));
}
console.log(JSON.stringify(result));`),
  );
}

export function benchBindings(): Row[] {
  const dir = compileBindings();
  const cdktf = require.resolve('cdktf', { paths: [ROOT] });
  const base: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < 15; i++) {
    base.push(timeRequires([], [cdktf]));
    ours.push(
      timeRequires(
        [cdktf],
        MODULES.map((m) => join(dir, m, 'index.js')),
      ),
    );
  }
  const count = 1000;
  const { migrations, data } = synthTimes(dir, count, 7);
  return [
    {
      what: 'import of the 3 binding modules (over require cdktf)',
      figure: ms(median(ours)),
      baseline: `require('cdktf') ${ms(median(base))}`,
      ratio: '-',
      goal: goal('< 5 ms', median(ours) < 5),
      command: 'make bench (median of 15 fresh node processes)',
    },
    {
      what: `synth ${count} dodb_online_migration`,
      figure: ms(median(migrations)),
      baseline: `${count} terraform_data ${ms(median(data))}`,
      ratio: `${(median(migrations) / median(data)).toFixed(2)}x`,
      goal: goal('<= 1.3x', median(migrations) / median(data) <= 1.3),
      command: 'make bench (median of 7, compiled JS)',
    },
  ];
}
