import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { NPM_FLAGS, outsideDir, sh } from '../helpers/package';

/**
 * Node.js `major` from the npm registry (the `node` package), in a folder of its own: returns the
 * folder to put first on the PATH, where `node` (and nothing else of ours) is that version.
 */
export async function nodeFromNpm(t: ExecutionContext, major: number): Promise<string> {
  const dir = outsideDir(t, `node${major}`);
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  await sh(dir, 'npm', ['install', ...NPM_FLAGS, `node@${major}`]);
  const bin = join(dir, 'node_modules/.bin');
  const version = (await sh(dir, join(bin, 'node'), ['--version'])).trim();
  if (!version.startsWith(`v${major}.`)) throw new Error(`npm's node@${major} reports ${version}`);
  return bin;
}
