import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExecutionContext } from 'ava';

export const ROOT = resolve(__dirname, '../..');

/** A scratch folder inside the project (so node resolves its packages), removed after the test. */
export function scratchDir(t: ExecutionContext, prefix: string): string {
  const base = join(ROOT, '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Environment for every terraform run: no checkpoint calls, our own CLI config, our own cache folder. */
export function terraformEnv(cliConfig: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // The provider's code cache goes to the checkout's scratch folder, not to the user's ~/.cache.
  return {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    XDG_CACHE_HOME: join(ROOT, '.tmp/cache'),
    ...extra,
  };
}
