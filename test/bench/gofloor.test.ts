import test from 'ava';
import { goFloorRows } from '../../bench/gofloor';

/** One 200-in-state plan's provider starts as bench.py's rsswrap records them. */
const plan = (...starts: Array<[rssMb: number, userMs: number, sysMs: number]>) => ({
  procs: starts.map(([rssMb, userMs, sysMs]) => ({ maxrss_kb: rssMb * 1024, user_ms: userMs, sys_ms: sysMs })),
});

/** bench.py's results.json, as far as the bench reads it: three runs of each figure. */
const results = {
  handshake_ms: {
    'NODE_EXTRA_CA_CERTS unset | ts': [60, 62, 70],
    'NODE_EXTRA_CA_CERTS unset | go': [27, 28, 40],
    'shell env (NODE_EXTRA_CA_CERTS set) | ts': [900, 900, 900],
  },
  plan_200_in_state: {
    ts: { wall: [1500, 1400, 1456] },
    go: { wall: [800, 808, 900] },
    data: { wall: [300, 270, 280] },
  },
  plan_1_fresh: { ts: { wall: [240, 250, 230] }, go: { wall: [204, 200, 210] }, data: { wall: [59, 60, 58] } },
  // Two plans of each side: a short start and the working start, peak RSS in MB and user + system CPU in ms.
  rss_200_in_state: {
    ts: [plan([53, 60, 10], [91, 600, 50]), plan([52, 60, 10], [93, 700, 50])],
    go: [plan([13, 20, 7], [18, 200, 20]), plan([13, 20, 7], [18, 220, 20])],
  },
};

const cells = (line: string) =>
  line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());

test('each figure of the issue is a ratio of medians to the Go floor, with its goal, next to terraform_data', (t) => {
  const [header, , ...rows] = goFloorRows(results).table.map(cells);
  t.deepEqual(header, ['figure', 'dodb', 'Go floor', 'dodb/Go', 'goal', 'terraform_data', 'dodb/terraform_data']);
  t.deepEqual(rows[0], [
    'terraform plan, 200 migrations in state',
    '1456.0 ms',
    '808.0 ms',
    '1.80x',
    '<= 1.2x (missed)',
    '280.0 ms',
    '5.20x',
  ]);
  t.deepEqual(rows[1]!.slice(3, 5), ['1.18x', '<= 1.2x'], 'a goal met says so without "missed"');
  t.deepEqual(rows[2]!.slice(1, 4), ['62.0 ms', '28.0 ms', '2.21x'], 'the handshake without NODE_EXTRA_CA_CERTS');
  t.deepEqual(rows[2]!.slice(5), ['-', '-'], 'terraform_data has no process of its own');
  t.deepEqual(rows[3]!.slice(1, 4), ['92.0 MB', '18.0 MB', '5.11x'], 'peak RSS: the largest start of each plan');
  t.deepEqual(
    rows[4]!.slice(1, 4),
    ['770.0 ms', '257.0 ms', '3.00x'],
    'CPU: every start of each plan, user and system',
  );
});
