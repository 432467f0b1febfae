// The slowest files first: two files run at a time, and a long one started last would run alone at the end.
const SLOWEST_FIRST = [
  'test/demo.test.ts',
  'test/provider/cutover.test.ts',
  'test/provider/data-safety.test.ts',
  'test/tfplugin/wire/protocol-abuse.test.ts',
  'test/provider/plan-checks.test.ts',
  'test/provider/lifecycle.test.ts',
  'test/provider/import-move.test.ts',
  'test/provider/faults.test.ts',
  'test/cli/cli.test.ts',
  'test/provider/lifecycle-rules.test.ts',
];
const rank = (file) => {
  const index = SLOWEST_FIRST.findIndex((prefix) => file.includes(prefix));
  return index === -1 ? SLOWEST_FIRST.length : index;
};

export default {
  extensions: { ts: 'commonjs' },
  nodeArguments: ['--import=tsx'],
  // test/long/ (minutes each: fresh clones, big npm installs, long loops) runs in `make test-long` (ava.long.config.mjs).
  files: ['test/**/*.test.ts', '!test/long/**'],
  timeout: '3m',
  concurrency: 2,
  sortTestFiles: (a, b) => rank(a) - rank(b) || a.localeCompare(b),
};
