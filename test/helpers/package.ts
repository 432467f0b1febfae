import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext, TestFn } from 'ava';
import { runOk } from './child';
import { ROOT } from './project';

/**
 * npm as a user runs it, with the shared cache (~/.npm) preferred over the registry: after the first
 * run, installs of the same versions need no network round trips.
 */
export const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** Versions a `cdktf init --template typescript` project pins, for the user's side of the tests. */
export const USER_TOOLS = { typescript: '5.9.3', 'ts-node': '10.9.2', tsx: '4.23.15', '@types/node': '20.19.43' };

/** A folder outside the checkout (no node_modules or tsconfig of ours above it), removed after the test. */
export function outsideDir(t: ExecutionContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dodb-${prefix}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `file args` in `cwd` as a user's shell runs it: its output, or an error with the output unless it exits 0. */
export async function sh(cwd: string, file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { output } = await runOk(file, args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env } });
  return output;
}

/**
 * `npm pack` of the checkout, as a registry would serve it (prepack builds what it ships): one
 * tarball for all the tests of a file, removed after them.
 */
export function sharedTarball(test: TestFn): () => Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'dodb-pack-'));
  test.after.always(() => rmSync(dir, { recursive: true, force: true }));
  let packed: Promise<string> | undefined;
  return () =>
    (packed ??= (async () => {
      await sh(ROOT, 'npm', ['pack', '--pack-destination', dir, '--loglevel=error']);
      const [tarball] = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
      if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
      return join(dir, tarball);
    })());
}

/** A user's TypeScript CDKTF project outside the checkout, with the given packages installed. */
export async function userProject(
  t: ExecutionContext,
  prefix: string,
  dependencies: Record<string, string>,
  devDependencies: Record<string, string> = USER_TOOLS,
): Promise<string> {
  const dir = outsideDir(t, prefix);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `${prefix}-app`, version: '1.0.0', private: true, dependencies, devDependencies }, null, 2),
  );
  // What `cdktf init --template typescript` writes.
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          alwaysStrict: true,
          declaration: true,
          experimentalDecorators: true,
          inlineSourceMap: true,
          inlineSources: true,
          lib: ['es2018'],
          module: 'CommonJS',
          noEmitOnError: true,
          noFallthroughCasesInSwitch: true,
          noImplicitAny: true,
          noImplicitReturns: true,
          noImplicitThis: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          resolveJsonModule: true,
          strict: true,
          strictNullChecks: true,
          strictPropertyInitialization: true,
          stripInternal: true,
          target: 'ES2018',
          incremental: true,
          skipLibCheck: true,
        },
        include: ['**/*.ts'],
        exclude: ['node_modules', 'cdktf.out'],
      },
      null,
      2,
    ),
  );
  await sh(dir, 'npm', ['install', ...NPM_FLAGS]);
  return dir;
}

/** Every installed copy of a package in a project (`npm ls --all --parseable`). */
export async function installedCopies(dir: string, name: string): Promise<string[]> {
  const out = await sh(dir, 'npm', ['ls', name, '--all', '--parseable']);
  return [...new Set(out.split('\n').filter((line) => line.endsWith(`/node_modules/${name}`)))];
}
