import { createInterface } from 'node:readline/promises';
import type { Io } from '../command';

/** Asks on the terminal; true only for an answer of `yes`. */
export async function confirmed(io: Pick<Io, 'stdin' | 'stderr'>, question: string): Promise<boolean> {
  const prompt = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await prompt.question(`${question} Type "yes" to go on: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    prompt.close();
  }
}
