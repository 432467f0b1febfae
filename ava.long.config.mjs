import base from './ava.config.mjs';

// `make test-long`: the tests of test/long/, each minutes long, one at a time after `make test`.
export default { ...base, files: ['test/long/**/*.test.ts'], timeout: '15m', concurrency: 1 };
