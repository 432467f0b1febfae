import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatTable, goal, median, ms } from './table';

const ROOT = join(__dirname, '..');
/** The shared anchor beside the clone; GOFLOOR_SRC points elsewhere (a worktree one level deeper). */
const SOURCE = resolve(process.env.GOFLOOR_SRC ?? join(ROOT, '../shared/gofloor'));
const BUILT = join(ROOT, '.tmp/gofloor');
const RUN = join(ROOT, '.tmp/gofloor-run');
/** Repetitions of bench.py's parts: enough for stable medians, few enough for a bench of minutes (the environment may set others). */
const REPS = {
  HS_REPS: process.env.HS_REPS ?? '11',
  PLAN_REPS: process.env.PLAN_REPS ?? '5',
  RSS_REPS: process.env.RSS_REPS ?? '2',
};

/** The figures of issue 19's table as the dodb/Go ratio, each with its goal. */
const GOALS = { plan200: 1.2, plan1: 1.2, handshake: 1.5, rss: 3, cpu: 2 };

/** What bench.py writes to results.json, as far as read here. */
interface Results {
  handshake_ms: Record<string, number[]>;
  plan_200_in_state: Record<string, { wall: number[] }>;
  plan_1_fresh: Record<string, { wall: number[] }>;
  rss_200_in_state: Record<string, Array<{ procs: Array<{ maxrss_kb?: number; user_ms?: number; sys_ms?: number }> }>>;
}

/** One figure of issue 19's table: dodb, the Go floor and terraform_data from the same run. */
export interface GoRow {
  figure: string;
  dodb: string;
  'Go floor': string;
  'dodb/Go': string;
  goal: string;
  terraform_data: string;
  'dodb/terraform_data': string;
}
const GO_HEADERS: Array<keyof GoRow> = [
  'figure',
  'dodb',
  'Go floor',
  'dodb/Go',
  'goal',
  'terraform_data',
  'dodb/terraform_data',
];

/** The table (empty when skipped) and the lines after it. */
export interface GoFloor {
  table: string[];
  sections: string[];
}

/**
 * The Go floor side: `../shared/gofloor` (a minimal Go provider of the same resource, the floor for
 * any out-of-process provider) built into .tmp/gofloor, then its own bench.py run against this
 * checkout's built provider. Its measurement is reused as it is rather than redone here, so that
 * these ratios are the very ones the shared anchor reports; dodb, Go and terraform_data are timed
 * interleaved in that one run. Without the anchor or Go, it says why it was skipped.
 */
export function benchGoFloor(): GoFloor {
  const missing = whyNot();
  if (missing) return skipped(missing);
  mkdirSync(BUILT, { recursive: true });
  const build = spawnSync('bash', [join(SOURCE, 'build.sh')], {
    env: { ...process.env, GOFLOOR_OUT: BUILT },
    encoding: 'utf8',
  });
  if (build.status !== 0) return skipped(`${SOURCE}/build.sh failed:\n${(build.stderr || build.stdout).trim()}`);
  console.error(`Go floor built in ${BUILT}; running ${SOURCE}/bench.py (a few minutes) ...`);
  const run = spawnSync('python3', [join(SOURCE, 'bench.py')], {
    cwd: SOURCE,
    env: { ...process.env, ...REPS, GOFLOOR_DIR: BUILT, TS_ROOT: ROOT, RUN_DIR: RUN },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) return skipped(`${SOURCE}/bench.py exited ${run.status ?? run.signal}`);
  return goFloorRows(JSON.parse(readFileSync(join(RUN, 'results.json'), 'utf8')) as Results);
}

/** Why the Go side cannot run here, or undefined when it can. */
function whyNot(): string | undefined {
  if (!existsSync(join(SOURCE, 'bench.py'))) return `no Go floor at ${SOURCE} (set GOFLOOR_SRC to its folder)`;
  for (const tool of ['go', 'python3'])
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error)
      return `\`${tool}\` is not on the PATH (build.sh names the packages to install)`;
  return undefined;
}

function skipped(reason: string): GoFloor {
  console.error(`Go floor side skipped: ${reason}`);
  return { table: [], sections: [`Go floor side skipped: ${reason}`] };
}

/** Issue 19's table from one bench.py run: dodb against the Go floor, and against terraform_data where it applies. */
export function goFloorRows(results: Results): GoFloor {
  const hs = (side: string) => results.handshake_ms[`NODE_EXTRA_CA_CERTS unset | ${side}`]!;
  const starts = (side: string) => results.rss_200_in_state[side]!.map((run) => run.procs);
  const peakMb = (side: string) => starts(side).map((procs) => Math.max(...procs.map((p) => p.maxrss_kb ?? 0)) / 1024);
  const cpuMs = (side: string) =>
    starts(side).map((procs) => procs.reduce((sum, p) => sum + (p.user_ms ?? 0) + (p.sys_ms ?? 0), 0));
  const mb = (value: number) => `${value.toFixed(1)} MB`;
  const row = (
    figure: string,
    [dodb, go, data]: [number[], number[], number[]?],
    limit: number,
    unit: (value: number) => string,
  ): GoRow => {
    const ratio = median(dodb) / median(go);
    return {
      figure,
      dodb: unit(median(dodb)),
      'Go floor': unit(median(go)),
      'dodb/Go': `${ratio.toFixed(2)}x`,
      goal: goal(`<= ${limit}x`, ratio <= limit),
      terraform_data: data ? unit(median(data)) : '-',
      'dodb/terraform_data': data ? `${(median(dodb) / median(data)).toFixed(2)}x` : '-',
    };
  };
  const plan = (plans: Results['plan_1_fresh']): [number[], number[], number[]] => [
    plans.ts!.wall,
    plans.go!.wall,
    plans.data!.wall,
  ];
  const rows = [
    row('terraform plan, 200 migrations in state', plan(results.plan_200_in_state), GOALS.plan200, ms),
    row('terraform plan, 1 new migration', plan(results.plan_1_fresh), GOALS.plan1, ms),
    row('spawn to handshake line', [hs('ts'), hs('go')], GOALS.handshake, ms),
    row('peak RSS of the provider, 200-in-state plan', [peakMb('ts'), peakMb('go')], GOALS.rss, mb),
    row('provider CPU for one such plan (all starts)', [cpuMs('ts'), cpuMs('go')], GOALS.cpu, ms),
  ];
  const perStart = (side: string) => {
    const [first] = starts(side);
    return (first ?? [])
      .map((p) => `${ms((p.user_ms ?? 0) + (p.sys_ms ?? 0))} ${mb((p.maxrss_kb ?? 0) / 1024)}`)
      .join(', ');
  };
  return {
    table: formatTable(rows, GO_HEADERS),
    sections: [
      `The second table: one run of ../shared/gofloor/bench.py (medians; ${REPS.HS_REPS} handshakes, ${REPS.PLAN_REPS} plans, ${REPS.RSS_REPS} memory plans each, interleaved; NODE_EXTRA_CA_CERTS unset), its results in .tmp/gofloor-run/.`,
      `  provider starts of one 200-in-state plan, CPU and peak RSS: dodb ${perStart('ts')}; Go ${perStart('go')}`,
    ],
  };
}
