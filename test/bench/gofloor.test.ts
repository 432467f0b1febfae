import test from 'ava';
import { goFloorRows } from '../../bench/gofloor';

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
  rss_200_in_state: {
    ts: [
      {
        procs: [
          { maxrss_kb: 53 * 1024, user_ms: 60, sys_ms: 10 },
          { maxrss_kb: 91 * 1024, user_ms: 600, sys_ms: 50 },
        ],
      },
      {
        procs: [
          { maxrss_kb: 52 * 1024, user_ms: 60, sys_ms: 10 },
          { maxrss_kb: 93 * 1024, user_ms: 700, sys_ms: 50 },
        ],
      },
    ],
    go: [
      {
        procs: [
          { maxrss_kb: 13 * 1024, user_ms: 20, sys_ms: 7 },
          { maxrss_kb: 18 * 1024, user_ms: 200, sys_ms: 20 },
        ],
      },
      {
        procs: [
          { maxrss_kb: 13 * 1024, user_ms: 20, sys_ms: 7 },
          { maxrss_kb: 18 * 1024, user_ms: 220, sys_ms: 20 },
        ],
      },
    ],
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
