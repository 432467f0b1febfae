import base from './ava.config.mjs';

// `make test-long`: the tests of test/long/ (the scale test and the client's 100 cycles under a fault mix,
// fresh clones, big npm installs), each minutes long, one at a time after `make test`.
export default { ...base, files: ['test/long/**/*.test.ts'], timeout: '60m', concurrency: 1 };
