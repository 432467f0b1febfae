import type { ExecutionContext } from 'ava';
import { DODB } from '../helpers/built-provider';
import { type Child, type Finished, run, start } from '../helpers/child';

export { DODB };
export type Run = Finished;

const cliEnv = (env: NodeJS.ProcessEnv) => ({ PATH: process.env.PATH, ...env });

/** The built CLI, off a terminal: its standard input is `input`, its environment only PATH and `env`. */
export function dodb(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<Run> {
  return run(DODB, args, { env: cliEnv(env), input });
}

/** The same, while it runs, for output awaited as it comes. */
export function startDodb(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  return start(t, DODB, args, { env: cliEnv(env) });
}
