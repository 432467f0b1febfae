import { spawn } from 'node:child_process';
import type { ExecutionContext } from 'ava';

/**
 * The one way a test runs a child process and reads what it printed.
 *
 *     // Run to the end: resolves once the child has exited AND its output streams have closed.
 *     const { code, signal, stdout, stderr, output } = await run('terraform', ['init'], { cwd, env });
 *     await runOk('make', ['-s', 'synth'], { cwd: ROOT }); // the same, but throws (with the output) unless code 0
 *
 *     // Talk to it while it runs: killed with SIGKILL when the test ends, if still running.
 *     const sim = start(t, process.execPath, [DODB, 'simulator']);
 *     const [, url] = await sim.waitFor(/listening on (\S+)/); // bounded; fails at once if the child ends first
 *     sim.kill('SIGTERM');
 *     const { code, stdout } = await sim.done; // every byte the child wrote is in `stdout`
 *
 * Why one helper: a child's `exit` event can come before the last of its output has been read (`close`
 * is the event that says the streams are done), and a fixed sleep is never long enough on a busy
 * machine. Here nothing resolves before `close`, and every wait is for a line the child prints, with a
 * bound that fails the test with what the child printed so far.
 */

export interface Finished {
  /** The exit code, or null when a signal ended the child. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout, then stderr (not interleaved: the order of two pipes is not deterministic). */
  output: string;
}

export interface RunOptions {
  cwd?: string;
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed (default: stdin is /dev/null). */
  input?: string;
  /** Keep the child's stdin open for `Child.write` (answers to a prompt, as a person types them). */
  interactive?: boolean;
  /**
   * After this the child is killed (SIGKILL) and `done` rejects (default 15 minutes: longer than any
   * test's own timeout, which is the bound that counts; this one only keeps a child from outliving it).
   */
  timeoutMs?: number;
  /** The child leads a process group of its own: `kill` signals every process in it, as Ctrl-C in a terminal does. */
  group?: boolean;
  /** With `group`: once the child exits, what it left running in its group gets SIGTERM, so that its streams close. */
  stopGroupOnExit?: boolean;
}

export interface WaitOptions {
  /** Which output to search (default stdout and stderr alike). */
  stream?: 'stdout' | 'stderr';
  /** The bound (default 60 s): past it the wait fails, with the output so far. */
  ms?: number;
}

export interface Child {
  pid: number;
  /** What the child has printed so far. */
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with the match as soon as the output printed so far (from the start) matches `pattern`;
   * rejects, with the output, if the child's streams close first or `ms` pass.
   */
  waitFor(pattern: RegExp, options?: WaitOptions): Promise<RegExpExecArray>;
  /** Writes to the child's stdin (started with `interactive`). */
  write(text: string): void;
  /** Sends `signal` (default SIGTERM) to the child, or to its whole group with `group`; a no-op once it has ended. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves after the child has exited and its output streams have closed. */
  done: Promise<Finished>;
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_WAIT_MS = 60_000;

/** Starts `command`; it is killed (SIGKILL, its group too with `group`) when the test `t` ends. */
export function start(t: ExecutionContext, command: string, args: string[], options: RunOptions = {}): Child {
  const child = spawnCollecting(command, args, options);
  t.teardown(() => child.kill('SIGKILL'));
  return child;
}

/** Runs `command` to its end: the exit code, the signal and all it printed, whatever the code. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<Finished> {
  return spawnCollecting(command, args, options).done;
}

/** Runs `command` to its end, and throws with what it printed unless it exits 0. */
export async function runOk(command: string, args: string[], options: RunOptions = {}): Promise<Finished> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited ${result.code}`;
    throw new Error(`${describe(command, args, options)} ${how}:\n${result.output}`);
  }
  return result;
}

function describe(command: string, args: string[], options: RunOptions): string {
  return `${[command, ...args].join(' ')}${options.cwd ? ` (in ${options.cwd})` : ''}`;
}

function spawnCollecting(command: string, args: string[], options: RunOptions): Child {
  const what = describe(command, args, options);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.input === undefined && !options.interactive ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: options.group ?? false,
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  const text = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  let ended = false;
  for (const name of ['stdout', 'stderr'] as const) {
    child[name]!.setEncoding('utf8');
    child[name]!.on('data', (chunk: string) => {
      text[name] += chunk;
      for (const check of waiters) check();
    });
  }
  // The end of each stream, for an error message: a trace log can run to megabytes.
  const tail = (name: 'stdout' | 'stderr') => (text[name].length > 4000 ? `…${text[name].slice(-4000)}` : text[name]);
  const printed = () => `stdout:\n${tail('stdout')}\nstderr:\n${tail('stderr')}`;

  const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (ended || child.pid === undefined) return;
    try {
      if (options.group) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // gone between the check and the signal
    }
  };

  if (options.group && options.stopGroupOnExit) child.on('exit', () => kill('SIGTERM'));

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    kill('SIGKILL');
  }, timeoutMs);
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', (error) => {
      ended = true;
      clearTimeout(timer);
      reject(new Error(`${what} could not start: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      ended = true;
      clearTimeout(timer);
      for (const check of waiters) check();
      if (timedOut) reject(new Error(`${what} did not finish within ${timeoutMs} ms, and was killed; ${printed()}`));
      else resolve({ code, signal, stdout: text.stdout, stderr: text.stderr, output: text.stdout + text.stderr });
    });
  });
  // A test that only waits for lines must not see an unhandled rejection from `done`.
  done.catch(() => undefined);

  const waitFor = (pattern: RegExp, { stream, ms = DEFAULT_WAIT_MS }: WaitOptions = {}) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const finish = (outcome: () => void) => {
        clearTimeout(bound);
        waiters.delete(check);
        outcome();
      };
      const check = () => {
        const match = pattern.exec(stream ? text[stream] : `${text.stdout}\n${text.stderr}`);
        if (match) finish(() => resolve(match));
        else if (ended) finish(() => reject(new Error(`${what} ended without printing ${pattern}; ${printed()}`)));
      };
      const bound = setTimeout(
        () => finish(() => reject(new Error(`${what} did not print ${pattern} within ${ms} ms; ${printed()}`))),
        ms,
      );
      waiters.add(check);
      check();
    });

  return {
    pid: child.pid ?? -1,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitFor,
    write: (input) => void child.stdin?.write(input),
    kill,
    done,
  };
}
