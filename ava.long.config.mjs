import base from './ava.config.mjs';

// `make test-long`: the tests of test/long/ (the scale test and the client's 100 cycles under a fault mix,
// fresh clones, big npm installs), each minutes long. The scale test spends its ten minutes waiting out
// the gateway's windows, so it starts first and the others run beside it, two at a time.
const first = (file) => (file.includes('test/long/scale.test.ts') ? 0 : 1);

export default {
  ...base,
  files: ['test/long/**/*.test.ts'],
  timeout: '60m',
  concurrency: 3,
  sortTestFiles: (a, b) => first(a) - first(b) || a.localeCompare(b),
};
