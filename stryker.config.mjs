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
