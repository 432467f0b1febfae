import test from 'ava';
import type { OnlineMigrationState } from '../../../generated/types';
import { planCutover } from '../../../src/provider/online-migration/cutover';
import type { MigrationState } from '../../../src/provider/online-migration/state';
import type { Planned } from '../../../src/tfplugin/framework/provider';
import { UNKNOWN, isUnknown } from '../../../src/tfplugin/wire/values';

/** The plan rules of `cutover`, on plain values: what terraform's plan shows comes from these. */

const PRIOR: MigrationState = {
  id: 'm-1',
  cluster_id: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30',
  source: [
    {
      host: 'db.example.com',
      port: 5432,
      db_name: null,
      username: null,
      password: null,
      password_wo: null,
      password_wo_version: null,
    },
  ],
  disable_ssl: false,
  ignore_dbs: null,
  wait_for: 'syncing',
  allow_overwrite_after_cutover: false,
  cutover: false,
  status: 'syncing',
  created_at: '2026-12-01T10:00:00Z',
  cutover_at: null,
  timeouts: null,
};

const CUT_OVER: MigrationState = { ...PRIOR, cutover: true, status: 'done', cutover_at: '2026-12-01T12:00:00Z' };

function plan(
  prior: MigrationState | null,
  changes: Partial<Planned<OnlineMigrationState>>,
  requiresReplace = [] as string[][],
) {
  const planned = { ...(prior ?? PRIOR), ...changes } as Planned<OnlineMigrationState>;
  const request = { prior, config: planned, planned, requiresReplace, private: null };
  return planCutover(request, { planned, requiresReplace });
}

test('a new migration without the cutover plans no cutover time; with it, the time is unknown', (t) => {
  t.is(plan(null, { cutover: false, cutover_at: UNKNOWN }).planned.cutover_at, null);
  t.true(isUnknown(plan(null, { cutover: true, cutover_at: UNKNOWN }).planned.cutover_at));
});

test('flipping cutover to true plans the status and the time as unknown, with a warning naming the cluster and the source host', (t) => {
  const flip = plan(PRIOR, { cutover: true });
  t.true(isUnknown(flip.planned.status));
  t.true(isUnknown(flip.planned.cutover_at));
  t.is(flip.diagnostics?.length, 1);
  t.like(flip.diagnostics![0], { severity: 'warning', summary: 'Cutover planned', path: ['cutover'] });
  t.regex(
    flip.diagnostics![0]!.detail!,
    /cluster 9cc10173-\S+ stops replicating from source host db\.example\.com:5432/,
  );
});

test('a cutover value not known yet plans unknowns with no warning; false keeps the plan with no cutover time', (t) => {
  const unknown = plan(PRIOR, { cutover: UNKNOWN });
  t.true(isUnknown(unknown.planned.status));
  t.deepEqual(unknown.diagnostics ?? [], []);
  const kept = plan(PRIOR, { cutover: false });
  t.is(kept.planned.status, 'syncing');
  t.is(kept.planned.cutover_at, null);
});

test('after the cutover: false is refused, a replacement is refused unless allow_overwrite_after_cutover', (t) => {
  t.like(plan(CUT_OVER, { cutover: false }).diagnostics?.[0], {
    severity: 'error',
    summary: 'A cutover cannot be undone',
  });
  const replace = plan(CUT_OVER, {}, [['cluster_id']]);
  t.like(replace.diagnostics?.[0], { severity: 'error', summary: 'Cluster was cut over', path: ['cluster_id'] });
  t.deepEqual(plan(CUT_OVER, { allow_overwrite_after_cutover: true }, [['cluster_id']]).diagnostics, []);
  t.deepEqual(plan(CUT_OVER, {}).diagnostics, [], 'the recorded cutover itself plans no change');
});

test('after a cutover the API answers with a 404, the null status is planned as it is', (t) => {
  t.is(plan({ ...CUT_OVER, status: null }, { status: UNKNOWN }).planned.status, null);
});
