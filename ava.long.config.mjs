// `make test-long`: the tests that take minutes (the scale test), which `make test` leaves out.
import base from './ava.config.mjs';

export default { ...base, files: ['test/long/**/*.test.ts'], timeout: '60m' };
