import { spawn } from 'node:child_process';
import type { ExecutionContext } from 'ava';

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
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('bash', ['-e', '-c', code], {
      cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // the group is gone already: nothing was left behind
      }
    });
    child.on('close', (status) => resolve({ code: status, output }));
  });
  t.is(result.code, 0, result.output);
  return result.output;
}
