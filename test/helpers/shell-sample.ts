import type { ExecutionContext } from 'ava';
import { run } from './child';

/**
 * A documented shell sample, run by bash -e in a folder, in a process group of its own: whatever it
 * left running in the background (and holding its output open) is stopped once bash exits. Resolves
 * with the output; a non-zero exit fails the test.
 */
export async function runSample(
  t: ExecutionContext,
  code: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const result = await run('bash', ['-e', '-c', code], {
    cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1', ...env },
    group: true,
    stopGroupOnExit: true,
  });
  t.is(result.code, 0, result.output);
  return result.output;
}
