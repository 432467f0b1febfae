import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchBindings } from './bindings';
import { benchClient } from './client';
import { benchGoFloor } from './gofloor';
import { benchProvider } from './provider';
import { formatTable } from './table';

const README = join(__dirname, '../README.md');
const FROM = '<!-- make bench writes from here -->';
const TO = '<!-- make bench writes up to here -->';

/** `make bench`: every figure next to its baseline, measured in this one run; the README shows the same. */
async function main(): Promise<void> {
  const provider = await benchProvider();
  const ours = formatTable([...benchBindings(), ...(await benchClient()), ...provider.rows]);
  // Against the Go floor (issue 19's table), where ../shared/gofloor is beside the clone.
  const goFloor = benchGoFloor();
  const table = [...ours, ...(goFloor.table.length ? ['', ...goFloor.table] : [])];
  const sections = [...goFloor.sections, '', ...provider.sections];
  console.log([...table, '', ...sections].join('\n'));
  const readme = readFileSync(README, 'utf8');
  const [start, end] = [readme.indexOf(FROM), readme.indexOf(TO)];
  if (start < 0 || end < start) throw new Error(`README.md has no ${FROM} ... ${TO} block for the bench figures`);
  // The breakdown as an indented block: plain text in the README, not a code sample to run.
  const breakdown = sections.map((line) => (line ? `    ${line}` : ''));
  writeFileSync(
    README,
    `${readme.slice(0, start)}${FROM}\n${table.join('\n')}\n\n${breakdown.join('\n')}\n${readme.slice(end)}`,
  );
  console.log('\nREADME.md: bench table and breakdown rewritten');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
