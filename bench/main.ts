import { benchBindings } from './bindings';
import { benchClient } from './client';
import { benchProvider } from './provider';
import { printTable } from './table';

/** `make bench`: every figure next to its baseline, measured in this one run. */
async function main(): Promise<void> {
  const provider = await benchProvider();
  printTable([...benchBindings(), ...(await benchClient()), ...provider.rows]);
  console.log(['', ...provider.sections].join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
