import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/project';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const DODB = join(ROOT, 'dist/dodb.js');

/** The built CLI, off a terminal: its standard input is `input`, its environment only PATH and `env`. */
export function dodb(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<Run> {
  return startDodb(args, env, input).done;
}

/** The same, handing back the process too, for output awaited as it comes. */
export function startDodb(args: string[], env: NodeJS.ProcessEnv = {}, input = '') {
  const child = spawn(process.execPath, [DODB, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  child.stdin.end(input);
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}
