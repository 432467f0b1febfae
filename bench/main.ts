import { benchBindings } from './bindings';
import { benchClient } from './client';
import { benchProvider } from './provider';
import { printTable } from './table';

/** `make bench`: every figure next to its baseline, measured in this one run. */
async function main(): Promise<void> {
  const rows = [...benchBindings(), ...(await benchClient()), ...(await benchProvider())];
  printTable(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
