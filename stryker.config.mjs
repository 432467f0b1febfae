// `make mutation`: StrykerJS per module, each against the small, fast ava subset that covers it
// (its command runner: no coverage analysis, so a short test run per mutant keeps a module to minutes).
// test/mutation/run.mjs runs the modules one after the other (all, or those named).
const AVA = 'node node_modules/ava/entrypoints/cli.mjs --concurrency 1 --fail-fast';

/** Module -> the file it mutates and the tests that must kill its mutants. */
export const MODULES = {
  status: { mutate: 'src/vocabulary/status.ts', tests: 'test/vocabulary/status.test.ts' },
  duration: { mutate: 'src/vocabulary/duration.ts', tests: 'test/vocabulary/duration.test.ts' },
  formats: { mutate: 'src/vocabulary/formats.ts', tests: 'test/vocabulary/formats.test.ts' },
  validate: { mutate: 'src/tfplugin/framework/validate.ts', tests: 'test/tfplugin/framework/validate.test.ts' },
  plan: { mutate: 'src/tfplugin/framework/plan.ts', tests: 'test/tfplugin/framework/plan.test.ts' },
  // No row for src/tfplugin/framework/rules.ts: it declares types only, and a type has no mutant.
  lifecycle: {
    mutate: 'src/provider/online-migration/lifecycle.ts',
    tests: 'test/provider/online-migration/lifecycle.test.ts',
  },
  // The API client's promises (issue 18): redaction, the retry decision, the rate limiter.
  redact: { mutate: 'src/api/redact.ts', tests: 'test/api/redact.test.ts' },
  retry: { mutate: 'src/api/retry.ts', tests: 'test/api/retry.test.ts' },
  limiter: { mutate: 'src/api/limiter.ts', tests: 'test/api/limiter.test.ts' },
};

/** Surviving mutants that no test can kill, and why. */
export const EXPLAINED = {
  duration: [
    "duration.ts durationNs: `whole || '0'` -> `whole || ''`. BigInt('') is 0n as BigInt('0') is: the same value.",
  ],
  formats: [
    'formats.ts hostProblem: `/^\\[([^[\\]]*)\\](.*)$/` without `$`. `(.*)` runs to the end of the value anyway: "." stops only at a line break, and a value holding one was refused before.',
    'formats.ts isIpv6WithZone: `zone === undefined || ZONE.test(zone)` -> `false || ZONE.test(zone)`. ZONE.test(undefined) tests the text "undefined", which ZONE accepts.',
    'formats.ts isIpv6WithZone: `address.length <= 45` -> `true`. node:net isIPv6 refuses every address longer than 45 characters (the longest form, with an embedded IPv4, has 45): the bound only keeps a long value from reaching it.',
  ],
  validate: [
    'validate.ts validateObject: `rule.conflictsWith ?? []` -> `?? ["Stryker was here"]`. A name no block declares has no value, so it conflicts with nothing.',
    'validate.ts validateObject: `block.attributes?.[other]` -> `block.attributes[other]`. The loop runs over block.attributes, so it is defined there.',
    'validate.ts validateObject: `current && !isUnknown(current)` -> `true` or `||`, for a single nested block. validateObject returns [] for null, and an unknown has no fields to check.',
    'validate.ts stringProblem, countProblem, numberProblem: `<bound> !== undefined && value < <bound>` -> `true && value < <bound>` (minLength, maxLength, minItems, maxItems, minimum, maximum). A comparison with undefined is false: the guard only says why.',
    'validate.ts stringProblem: `checks.pattern !== undefined` -> `true`. new RegExp(undefined) is /(?:)/, which matches every string.',
    'validate.ts stringProblem: `minDuration !== undefined && maxDuration !== undefined` -> `||`, or either side `true`. The generator refuses one bound without the other (load.ts checkDurationRange), so the rules never hold just one.',
  ],
  plan: [
    'plan.ts replacementPlan: the path `[]` or the requires-replace list `[]` -> `["Stryker was here"]`. With no prior nothing is pushed onto that list, and the list is dropped.',
    'plan.ts withoutUnknowns: `prior !== null && …` -> `true && …`. typeof null is "object", but isUnknown(null) and Array.isArray(null) are false, so null still gives null.',
  ],
  status: [
    'status.ts STATUSES: `true` -> `false` in each of the five entries. Only the keys are read (the record is keyed by the generated type so that a new status does not compile until placed); the values are never read.',
  ],
  // The API client's modules (issue 18).
  redact: [
    "redact.ts redactSecrets: `secrets = []` -> `secrets = ['Stryker was here']`. The default means no known secret: a default value is redacted only from a text that contains it, and no message the client handles does (errors.ts passes no secrets, for the shapes alone).",
    "redact.ts KnownSecrets.addFrom: `key = ''` -> `key = 'Stryker was here!'`. The key of the top-level body is read only by SECRET_KEY, which matches neither string: the same outcome.",
  ],
  limiter: [
    'limiter.ts acquire: `this.resetAtMs !== undefined && now >= this.resetAtMs` -> `true && ...`; `deadline !== undefined && (until ?? now) > deadline` -> `true && ...`; `until !== undefined && until - now >= ...` -> `true && ...`. A comparison with undefined (or NaN) is false: the guards change nothing.',
    'limiter.ts acquire: `until + 5` -> `until - 5`. The request wakes 5 ms early, finds it may not go yet, and sleeps again: the same outcome.',
    'limiter.ts acquire: `wakeAt - now` -> `wakeAt + now`; waitForChange: `ms === undefined ? undefined : setTimeout(...)` -> `setTimeout(...)`, `Math.max(1, ms)` -> `Math.min(1, ms)`. Node runs a delay that overflows, is NaN or is under 1 ms after 1 ms: the wait polls instead of sleeping, and a request goes at the same moment (CPU only).',
    'limiter.ts waitForChange: `this.waiters.delete(done)` removed; `{ once: true }` -> `{}` / `{ once: false }`. `done` removes its own abort listener and timer whichever wakes it, and a stale `done` called again by wakeAll does nothing: memory only, no behaviour.',
    'limiter.ts recover: `this.slowMs === 0 || ...` -> `false || ...`. A spacing of 0 recovers to 0 * 0.8 = 0; the changedAt it moves is read only after slowDown sets it again.',
    'limiter.ts recover: `shorter < SLOW_FIRST_MS / 2` -> `<=`. The spacing is 500 * 2^k * 0.8^j ms, never exactly 250.',
    'limiter.ts spacing: `this.remaining === undefined || ...` -> `false || ...`. remaining is undefined only with resetAtMs undefined (release sets the reset only with a figure; forgetWindow clears both), which the same condition tests.',
  ],
};

export function optionsFor(name) {
  const module = MODULES[name];
  if (!module) throw new Error(`no mutation module ${name}; known: ${Object.keys(MODULES).join(', ')}`);
  return {
    testRunner: 'command',
    commandRunner: { command: `${AVA} ${module.tests}` },
    mutate: [module.mutate],
    // A shared two-core machine: one mutant at a time.
    concurrency: 1,
    // Only what the tests read is copied to the sandbox.
    ignorePatterns: ['dist', '.tmp', 'cdktf.out', 'docs', 'bench', 'examples', 'generated/cdktf', 'reports'],
    reporters: ['clear-text'],
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    logLevel: 'warn',
    timeoutMS: 20_000,
    // One folder per module: two modules may run at once (from two make calls).
    tempDirName: `.tmp/stryker-${name}`,
    cleanTempDir: true,
  };
}

export default optionsFor(process.env.MUTATION_MODULE ?? 'status');
