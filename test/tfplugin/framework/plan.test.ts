import test from 'ava';
import { clearWriteOnly, planObject, replacementPlan, withoutUnknowns } from '../../../src/tfplugin/framework/plan';
import type { TerraformBlock } from '../../../src/tfplugin/wire/schema';
import type { SchemaRules } from '../../../src/tfplugin/framework/rules';
import { UNKNOWN, Unknown, isUnknown } from '../../../src/tfplugin/wire/values';

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

test('apply: what was unknown at plan time is the prior value at the same place, null in a new object', (t) => {
  const planned = {
    id: UNKNOWN,
    status: UNKNOWN,
    target: 't',
    tags: ['a', UNKNOWN],
    source: [{ host: UNKNOWN, secret: null }],
  };
  t.deepEqual(withoutUnknowns(planned, prior), {
    id: 'm1',
    status: 'running',
    target: 't',
    tags: ['a', 'a'],
    source: [{ host: 'h', secret: null }],
  });
  t.deepEqual(withoutUnknowns(planned, null), {
    id: null,
    status: null,
    target: 't',
    tags: ['a', null],
    source: [{ host: null, secret: null }],
  });
  t.deepEqual(
    withoutUnknowns({ tags: [UNKNOWN, UNKNOWN] }, { tags: ['x'] }),
    { tags: ['x', null] },
    'past the prior list',
  );
  t.deepEqual(withoutUnknowns({ id: UNKNOWN }, UNKNOWN), { id: null }, 'an unknown prior object has nothing to give');
  t.deepEqual(withoutUnknowns({ id: UNKNOWN }, ['m1']), { id: null }, 'nor has a list');
  t.deepEqual(withoutUnknowns({ source: [{ host: UNKNOWN }] }, { source: 'x' }), { source: [{ host: null }] });
  t.is(withoutUnknowns(UNKNOWN, 'kept'), 'kept');
  t.is(withoutUnknowns(5, 'x'), 5);
  t.is(withoutUnknowns(null, 'x'), null);
});

test('write-only values are cleared at every depth, and nothing else', (t) => {
  const value = {
    ...config,
    source: [
      { host: 'h', secret: 's3cret' },
      { host: 'i', secret: 'other' },
    ],
  };
  t.deepEqual(clearWriteOnly(block, value), {
    ...config,
    source: [
      { host: 'h', secret: null },
      { host: 'i', secret: null },
    ],
  });
  t.is(value.source[0]!.secret, 's3cret', 'the value given is not changed');
  const single: TerraformBlock = {
    attributes: { key: { type: 'string', optional: true, write_only: true }, name: { type: 'string', optional: true } },
    block_types: { inner: { nesting_mode: 'single', block: block.block_types!.source!.block } },
  };
  t.deepEqual(clearWriteOnly(single, { key: 'k', name: 'n', inner: { host: 'h', secret: 's' } }), {
    key: null,
    name: 'n',
    inner: { host: 'h', secret: null },
  });
  t.deepEqual(clearWriteOnly(single, { key: 'k', name: 'n' }), { key: null, name: 'n', inner: null });
  t.is(clearWriteOnly(block, null), null);
  t.is(clearWriteOnly(block, UNKNOWN), UNKNOWN);
  t.is(clearWriteOnly(block, 'text'), 'text');
});

test('a single nested block is planned inside, with its own rules; a list is ordered, a set is not', (t) => {
  const outer: TerraformBlock = {
    attributes: {
      order: { type: ['list', 'string'], optional: true },
      bag: { type: ['set', 'string'], optional: true },
    },
    block_types: {
      inner: {
        nesting_mode: 'single',
        block: {
          attributes: {
            host: { type: 'string', optional: true },
            mode: { type: 'string', optional: true, computed: true },
          },
        },
      },
    },
  };
  const outerRules: SchemaRules = {
    order: { requiresReplace: true },
    bag: { requiresReplace: true },
    'inner.host': { requiresReplace: true },
    'inner.mode': { default: 'fast' },
  };
  const was = { order: ['a', 'b'], bag: ['a', 'b'], inner: { host: 'h', mode: 'fast' } };
  const same = planObject(outer, outerRules, was, {
    order: ['a', 'b'],
    bag: ['b', 'a'],
    inner: { host: 'h', mode: null },
  });
  t.deepEqual(same.planned, { order: ['a', 'b'], bag: ['b', 'a'], inner: { host: 'h', mode: 'fast' } });
  t.deepEqual(same.requiresReplace, [], 'a set in another order is the same set');
  const changed = planObject(outer, outerRules, was, {
    order: ['b', 'a'],
    bag: ['a'],
    inner: { host: 'i', mode: null },
  });
  t.deepEqual(changed.requiresReplace, [['order'], ['bag'], ['inner', 'host']]);
  t.deepEqual(planObject(outer, outerRules, null, { order: null, bag: null, inner: null }).planned, {
    order: null,
    bag: null,
    inner: null,
  });
  t.deepEqual(planObject(outer, outerRules, null, { order: null, bag: null, inner: UNKNOWN }).planned.inner, UNKNOWN);
});

test('versionOf: the version of a write-only value replaces the object only from one version to another', (t) => {
  const versioned: TerraformBlock = {
    attributes: {
      secret: { type: 'string', optional: true, write_only: true },
      secret_version: { type: 'number', optional: true },
    },
  };
  const declared: SchemaRules = { secret_version: { requiresReplace: true, versionOf: 'secret' } };
  const replaces = (from: number | null, to: number | null, rules = declared) =>
    planObject(versioned, rules, { secret: null, secret_version: from }, { secret: 's', secret_version: to })
      .requiresReplace;
  t.deepEqual(replaces(1, 2), [['secret_version']], 'a new version: a new object sends the new value');
  t.deepEqual(replaces(null, 1), [], 'a first version is no new value');
  t.deepEqual(replaces(1, null), [], 'nor is its removal');
  t.deepEqual(replaces(2, 2), []);
  // Without the declaration, any change of a requiresReplace attribute replaces.
  const plain: SchemaRules = { secret_version: { requiresReplace: true } };
  t.deepEqual(replaces(null, 1, plain), [['secret_version']]);
  t.deepEqual(replaces(1, null, plain), [['secret_version']]);
  const unknownVersion = planObject(
    versioned,
    declared,
    { secret: null, secret_version: 1 },
    {
      secret: 's',
      secret_version: UNKNOWN,
    },
  );
  t.deepEqual(unknownVersion.requiresReplace, [['secret_version']], 'a version known only at apply may be new');
});

test('an unknown block, or an unknown item of a block list, is planned as it is and replaces on update', (t) => {
  t.deepEqual(planObject(block, rules, null, { ...config, source: [UNKNOWN] }).planned.source, [UNKNOWN]);
  t.is(planObject(block, rules, null, { ...config, source: UNKNOWN }).planned.source, UNKNOWN);
  t.deepEqual(planObject(block, rules, prior, { ...config, source: [UNKNOWN] }).requiresReplace, [['source']]);
  t.deepEqual(planObject(block, rules, prior, { ...config, source: UNKNOWN }).requiresReplace, [['source']]);
});

test('a configured value wins over a default; a replacement plans defaults too', (t) => {
  t.is(planObject(block, rules, prior, { ...config, mode: 'slow' }).planned.mode, 'slow');
  t.is(planObject(block, rules, null, { ...config, mode: 'slow' }).planned.mode, 'slow');
  t.is(replacementPlan(block, rules, config).mode, 'fast');
});

test('a block list with no prior items plans each item as new: nothing kept, nothing to replace', (t) => {
  const keep: SchemaRules = {
    ...rules,
    'source.host': { requiresReplace: true },
    'source.zone': { keepPrior: true },
  };
  const computedInside: TerraformBlock = {
    ...block,
    block_types: {
      source: {
        ...block.block_types!.source!,
        block: { attributes: { host: { type: 'string', required: true }, zone: { type: 'string', computed: true } } },
      },
    },
  };
  const created = planObject(computedInside, keep, null, { ...config, source: [{ host: 'h', zone: null }] });
  t.deepEqual(created.requiresReplace, []);
  t.true(isUnknown((created.planned.source as Array<Record<string, unknown>>)[0]!.zone));
  const added = planObject(
    computedInside,
    keep,
    { ...prior, source: null },
    { ...config, source: [{ host: 'h', zone: null }] },
  );
  t.true(isUnknown((added.planned.source as Array<Record<string, unknown>>)[0]!.zone));
  t.deepEqual(added.requiresReplace, [['source']], 'the block appeared');
});

test('apply never reads a field out of an unknown, a list or a string', (t) => {
  const planned = { length: UNKNOWN, refinement: UNKNOWN, 0: UNKNOWN };
  const none = { length: null, refinement: null, 0: null };
  t.deepEqual(withoutUnknowns(planned, ['m1']), none);
  t.deepEqual(withoutUnknowns(planned, 'text'), none);
  t.deepEqual(withoutUnknowns(planned, new Unknown(new Uint8Array([1]))), none);
});
