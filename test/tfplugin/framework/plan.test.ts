import test from 'ava';
import { planObject, replacementPlan } from '../../../src/tfplugin/framework/plan';
import type { TerraformBlock } from '../../../src/tfplugin/wire/schema';
import type { SchemaRules } from '../../../src/tfplugin/framework/rules';
import { UNKNOWN, isUnknown } from '../../../src/tfplugin/wire/values';

const block: TerraformBlock = {
  attributes: {
    id: { type: 'string', computed: true },
    status: { type: 'string', computed: true },
    target: { type: 'string', required: true },
    mode: { type: 'string', optional: true, computed: true },
    tags: { type: ['set', 'string'], optional: true },
    wait: { type: 'string', optional: true },
  },
  block_types: {
    source: {
      nesting_mode: 'list',
      min_items: 1,
      max_items: 1,
      block: {
        attributes: {
          host: { type: 'string', required: true },
          secret: { type: 'string', optional: true, write_only: true },
        },
      },
    },
  },
};
const rules: SchemaRules = {
  id: { keepPrior: true },
  target: { requiresReplace: true },
  mode: { default: 'fast', requiresReplace: true },
  tags: { requiresReplace: true },
  source: { requiresReplace: true },
};
const config = {
  id: null,
  status: null,
  target: 't',
  mode: null,
  tags: ['a', 'b'],
  wait: 'x',
  source: [{ host: 'h', secret: 's3cret' }],
};
const prior = {
  id: 'm1',
  status: 'running',
  target: 't',
  mode: 'fast',
  tags: ['b', 'a'],
  wait: 'y',
  source: [{ host: 'h', secret: null }],
};

test('create: defaults are planned, computed values are unknown, write-only values are null', (t) => {
  const { planned, requiresReplace } = planObject(block, rules, null, config);
  t.true(isUnknown(planned.id));
  t.true(isUnknown(planned.status));
  t.is(planned.mode, 'fast');
  t.deepEqual(planned.source, [{ host: 'h', secret: null }]);
  t.deepEqual(requiresReplace, []);
});

test('update in place: keepPrior keeps a computed value, others become unknown; set order and write-only values are no change', (t) => {
  const { planned, requiresReplace } = planObject(block, rules, prior, config);
  t.deepEqual(requiresReplace, []);
  t.is(planned.id, 'm1');
  t.true(isUnknown(planned.status));
  t.is(planned.wait, 'x');
});

test('a changed requires-replace value or block asks for replacement, and the replacement keeps nothing from the prior', (t) => {
  const changedConfig = { ...config, target: 'u', source: [{ host: 'other', secret: null }] };
  const changed = planObject(block, rules, prior, changedConfig);
  t.deepEqual(changed.requiresReplace, [['target'], ['source']]);
  t.is(replacementPlan(block, rules, changedConfig).id, UNKNOWN);
  const unknownHost = planObject(block, rules, prior, { ...config, source: [{ host: UNKNOWN, secret: null }] });
  t.deepEqual(unknownHost.requiresReplace, [['source']], 'an unknown value may change, so it replaces');
});

test('requires-replace on a nested attribute names its path; an attribute without it changes in place', (t) => {
  const nested: SchemaRules = { ...rules, source: {}, 'source.host': { requiresReplace: true } };
  const secretOnly = planObject(block, nested, prior, { ...config, source: [{ host: 'h', secret: 'other' }] });
  t.deepEqual(secretOnly.requiresReplace, []);
  const hostChanged = planObject(block, nested, prior, { ...config, source: [{ host: 'h2', secret: null }] });
  t.deepEqual(hostChanged.requiresReplace, [['source', 0, 'host']]);
  t.is(hostChanged.planned.id, 'm1', 'the update plan keeps the prior until the server decides to replace');
});
