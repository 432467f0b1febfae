import test from 'ava';
import { DiagnosticError } from '../../../src/tfplugin/framework/diagnostics';
import { UNKNOWN, isUnknown } from '../../../src/tfplugin/wire/values';
import { decodeValue, encodeValue } from '../../../src/tfplugin/wire/msgpack';
import { type ProviderDefinition, type ResourceType, defineResource } from '../../../src/tfplugin/framework/provider';
import type { TerraformBlock } from '../../../src/tfplugin/wire/schema';
import { providerHandlers } from '../../../src/tfplugin/framework/server';

const block: TerraformBlock = {
  attributes: { id: { type: 'string', computed: true }, name: { type: 'string', required: true } },
};
const lines: string[] = [];
const log = { log: (level: string, message: string) => void lines.push(`${level} ${message}`) };

interface Thing {
  id?: string;
  name: string;
}

function definition(create: ResourceType<Thing, null>['create']): ProviderDefinition<object, null> {
  return {
    name: 'fake',
    schema: { version: 0, block: {} },
    rules: {},
    configure: async () => ({ data: null }),
    resources: [
      defineResource<Thing, null>({
        typeName: 'fake_thing',
        schema: { version: 0, block },
        rules: { name: { checks: { minLength: 1 } } },
        create,
        read: async ({ state }) => ({ state }),
        delete: async () => [],
      }),
    ],
    dataSources: [],
  };
}
const dynamic = (value: Record<string, unknown> | null) => ({ msgpack: encodeValue(value as never, block) });

test('an exception in a resource becomes an error diagnostic, and the plugin lives on', async (t) => {
  const handlers = providerHandlers(
    definition(async () => {
      throw new TypeError('boom');
    }),
    log,
  );
  const response = await handlers.ApplyResourceChange({
    type_name: 'fake_thing',
    prior_state: dynamic(null),
    planned_state: dynamic({ name: 'x' }),
    config: dynamic({ name: 'x' }),
  });
  t.is(response.diagnostics![0].severity, 1);
  t.regex(response.diagnostics![0]!.summary!, /Internal error in the fake provider/);
  t.regex(response.diagnostics![0]!.detail!, /boom[\s\S]*bug in the provider/);
  t.true(lines.some((l) => l.startsWith('error internal error')));
  const schema = await handlers.GetProviderSchema({});
  t.truthy(schema.resource_schemas!.fake_thing, 'later calls still work');
});

test('StopProvider cancels the signal handed to operations in flight', async (t) => {
  let signal: AbortSignal | undefined;
  let started: () => void = () => undefined;
  const inFlight = new Promise<void>((resolve) => (started = resolve));
  const handlers = providerHandlers(
    definition(async ({ planned }, ctx) => {
      signal = ctx.signal;
      started();
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      return { state: { ...planned, id: 'kept' }, diagnostics: [{ severity: 'error', summary: 'stopped' }] };
    }),
    log,
  );
  const apply = handlers.ApplyResourceChange({
    type_name: 'fake_thing',
    prior_state: dynamic(null),
    planned_state: dynamic({ name: 'x' }),
    config: dynamic({ name: 'x' }),
  });
  await inFlight;
  t.false(signal!.aborted);
  await handlers.StopProvider({});
  const response = await apply;
  t.true(signal!.aborted);
  t.deepEqual(
    decodeValue(response.new_state!.msgpack, block),
    { id: 'kept', name: 'x' },
    'the new state comes back with the error',
  );
});

test('PlanResourceChange validates known values before planning, with the attribute path', async (t) => {
  const handlers = providerHandlers(
    definition(async () => ({ state: null })),
    log,
  );
  const response = await handlers.PlanResourceChange({
    type_name: 'fake_thing',
    prior_state: dynamic(null),
    proposed_new_state: dynamic({ name: '' }),
    config: dynamic({ name: '' }),
  });
  t.is(response.planned_state, undefined);
  t.deepEqual(response.diagnostics![0].attribute, { steps: [{ attribute_name: 'name' }] });
});

test('the plan hook gets the configured data and the stop signal, may wait, and a throw from it is a diagnostic', async (t) => {
  const seen: Array<{ data: unknown; aborted: boolean }> = [];
  const provider: ProviderDefinition<object, string> = {
    name: 'fake',
    schema: { version: 0, block: {} },
    rules: {},
    configure: async () => ({ data: 'configured' }),
    resources: [
      defineResource<Thing, string>({
        typeName: 'fake_thing',
        schema: { version: 0, block },
        rules: {},
        async modifyPlan(request, ctx) {
          seen.push({ data: ctx.data, aborted: ctx.signal.aborted });
          await new Promise((resolve) => setImmediate(resolve));
          if (request.config.name === 'bad')
            throw new DiagnosticError({ severity: 'error', summary: 'asked and refused' });
          return { ...request, diagnostics: [{ severity: 'warning', summary: 'looked' }] };
        },
        create: async () => ({ state: null }),
        read: async ({ state }) => ({ state }),
        delete: async () => [],
      }),
    ],
    dataSources: [],
  };
  const handlers = providerHandlers(provider as ProviderDefinition<unknown, unknown>, log);
  await handlers.ConfigureProvider({ config: { msgpack: encodeValue({}, { attributes: {} }) } });
  const plan = (name: string) =>
    handlers.PlanResourceChange({
      type_name: 'fake_thing',
      prior_state: dynamic(null),
      proposed_new_state: dynamic({ name }),
      config: dynamic({ name }),
    });
  const planned = await plan('x');
  t.is(planned.diagnostics![0]!.summary, 'looked');
  t.deepEqual(decodeValue(planned.planned_state!.msgpack, block), { id: UNKNOWN, name: 'x' });
  const refused = await plan('bad');
  t.is(refused.diagnostics![0]!.summary, 'asked and refused');
  t.is(refused.planned_state, undefined);
  t.deepEqual(seen, [
    { data: 'configured', aborted: false },
    { data: 'configured', aborted: false },
  ]);
});

test('a resource without update: the plan is the new state, and a computed value planned unknown keeps its prior value', async (t) => {
  const handlers = providerHandlers(
    definition(async () => ({ state: null })),
    log,
  );
  const prior = { id: 'kept', name: 'x' };
  const plan = await handlers.PlanResourceChange({
    type_name: 'fake_thing',
    prior_state: dynamic(prior),
    proposed_new_state: dynamic({ id: null, name: 'y' }),
    config: dynamic({ id: null, name: 'y' }),
  });
  t.true(isUnknown(decodeValue(plan.planned_state!.msgpack, block)!.id), 'id has no keepPrior rule: planned unknown');
  const response = await handlers.ApplyResourceChange({
    type_name: 'fake_thing',
    prior_state: dynamic(prior),
    planned_state: plan.planned_state,
    config: dynamic({ id: null, name: 'y' }),
  });
  t.deepEqual(response.diagnostics, []);
  t.deepEqual(decodeValue(response.new_state!.msgpack, block), { id: 'kept', name: 'y' });
});

test('create gets the unknown computed values as null, and a DiagnosticError is reported as it is, with nothing lost', async (t) => {
  let seen: unknown;
  const handlers = providerHandlers(
    definition(async ({ planned }) => {
      seen = planned.id;
      throw new DiagnosticError({ severity: 'error', summary: 'Not configured', detail: 'say why' });
    }),
    log,
  );
  const response = await handlers.ApplyResourceChange({
    type_name: 'fake_thing',
    prior_state: dynamic(null),
    planned_state: { msgpack: encodeValue({ id: UNKNOWN, name: 'x' }, block) },
    config: dynamic({ id: null, name: 'x' }),
  });
  t.is(seen, null);
  t.deepEqual(
    response.diagnostics!.map((d) => [d.summary, d.detail]),
    [['Not configured', 'say why']],
  );
  t.is(decodeValue(response.new_state!.msgpack, block), null);
  const read = await providerHandlers(
    {
      ...definition(async () => ({ state: null })),
      resources: [
        defineResource<Thing, null>({
          typeName: 'fake_thing',
          schema: { version: 0, block },
          rules: {},
          create: async () => ({ state: null }),
          delete: async () => [],
          read: async () => {
            throw new DiagnosticError({ severity: 'error', summary: 'Not configured' });
          },
        }),
      ],
    },
    log,
  ).ReadResource({ type_name: 'fake_thing', current_state: dynamic({ id: 'kept', name: 'x' }) });
  t.is(read.diagnostics![0]!.summary!, 'Not configured');
  t.deepEqual(decodeValue(read.new_state!.msgpack, block), { id: 'kept', name: 'x' }, 'a failed read keeps the state');
});

test('the provider reads the environment it was given at start, never process.env in an RPC', async (t) => {
  const providerBlock: TerraformBlock = { attributes: { token: { type: 'string', optional: true } } };
  const configured: unknown[] = [];
  const withEnv: ProviderDefinition<object, null> = {
    ...definition(async () => ({ state: null })),
    schema: { version: 0, block: providerBlock },
    rules: { token: { env: ['FAKE_TOKEN'] } },
    configure: async ({ config }, ctx) => {
      configured.push([config, ctx.env.FAKE_TOKEN]);
      return { data: null };
    },
  };
  process.env.FAKE_TOKEN = 'from-process-env';
  t.teardown(() => delete process.env.FAKE_TOKEN);
  const config = { msgpack: encodeValue({ token: null }, providerBlock) };
  await providerHandlers(withEnv, log, { FAKE_TOKEN: 'given' }).ConfigureProvider({ config });
  await providerHandlers(withEnv, log, {}).ConfigureProvider({ config });
  t.deepEqual(configured, [
    [{ token: 'given' }, 'given'],
    [{ token: null }, undefined],
  ]);
});

test('upgradeState gets each stored object with the version that wrote it; its result is conformed and loaded', async (t) => {
  const seen: unknown[] = [];
  const loaded: unknown[] = [];
  const provider = definition(async () => ({ state: null }));
  const thing = provider.resources[0]!;
  // Version 1 renamed `title` to `name`; version 2 is the current one.
  provider.resources[0] = {
    ...thing,
    schema: { version: 2, block },
    upgradeState: (request) => {
      seen.push(request);
      const { title, ...rest } = request.state;
      if (title === 'refuse') return { state: null, diagnostics: [{ severity: 'error', summary: 'Cannot upgrade' }] };
      return request.version < 1 ? { state: { ...rest, name: title } } : { state: request.state };
    },
    loaded: (state) => void loaded.push(state),
  };
  const handlers = providerHandlers(provider, log);
  const raw = (value: unknown) => ({ json: Buffer.from(JSON.stringify(value)) });
  const old = await handlers.UpgradeResourceState({
    type_name: 'fake_thing',
    version: 0,
    raw_state: raw({ id: 'a', title: 'x', gone: 1 }),
  });
  t.deepEqual(seen[0], { version: 0, state: { id: 'a', title: 'x', gone: 1 } });
  t.deepEqual(
    decodeValue(old.upgraded_state!.msgpack!, block),
    { id: 'a', name: 'x' },
    'conformed: unknown keys dropped',
  );
  t.deepEqual(loaded, [{ id: 'a', name: 'x' }]);
  await handlers.UpgradeResourceState({ type_name: 'fake_thing', version: 2, raw_state: raw({ id: 'b', name: 'y' }) });
  t.deepEqual(seen[1], { version: 2, state: { id: 'b', name: 'y' } });
  const refused = await handlers.UpgradeResourceState({
    type_name: 'fake_thing',
    version: 0,
    raw_state: raw({ id: 'c', title: 'refuse' }),
  });
  t.is(refused.diagnostics![0]!.summary, 'Cannot upgrade');
  t.is(refused.upgraded_state, undefined, 'no state from a refused upgrade');
  t.is(loaded.length, 2);
  const newer = await handlers.UpgradeResourceState({ type_name: 'fake_thing', version: 3, raw_state: raw({}) });
  t.is(newer.diagnostics![0]!.summary, 'State from a newer provider');
  t.is(seen.length, 3, 'a newer state never reaches the hook');
});

test('each call is timed in a debug line, unless the logger does not show debug lines', async (t) => {
  const seen = (shows: boolean) => {
    const written: string[] = [];
    const handlers = providerHandlers(
      definition(async ({ planned }) => ({ state: planned })),
      {
        log: (level, message, fields) => void written.push(`${level} ${message} ${JSON.stringify(fields)}`),
        shows: () => shows,
      },
    );
    return { handlers, written };
  };
  const shown = seen(true);
  await shown.handlers.ValidateResourceConfig({ type_name: 'fake_thing', config: dynamic({ name: 'x' }) });
  t.is(shown.written.length, 1);
  t.regex(
    shown.written[0]!,
    /^debug ValidateResourceConfig done \{"rpc":"ValidateResourceConfig","type":"fake_thing","ms":[\d.]+\}$/,
  );
  const hidden = seen(false);
  await hidden.handlers.ValidateResourceConfig({ type_name: 'fake_thing', config: dynamic({ name: 'x' }) });
  t.deepEqual(hidden.written, []);
});

test('an upgraded state never carries a write-only value, and a wrong type in it names its attribute', async (t) => {
  const secretBlock: TerraformBlock = {
    attributes: { ...block.attributes, secret: { type: 'string', optional: true, write_only: true } },
    block_types: { inner: { nesting_mode: 'list', block: { attributes: { port: { type: 'number' } } } } },
  };
  const provider = definition(async () => ({ state: null }));
  provider.resources[0] = { ...provider.resources[0]!, schema: { version: 0, block: secretBlock } };
  const handlers = providerHandlers(provider, log);
  const raw = (value: unknown) => ({ json: Buffer.from(JSON.stringify(value)) });
  const upgraded = await handlers.UpgradeResourceState({
    type_name: 'fake_thing',
    version: 0,
    raw_state: raw({ id: 'a', name: 'x', secret: 'kept nowhere', inner: [{ port: '5432' }] }),
  });
  t.deepEqual(decodeValue(upgraded.upgraded_state!.msgpack!, secretBlock), {
    id: 'a',
    name: 'x',
    secret: null,
    inner: [{ port: 5432 }],
  });
  const wrong = await handlers.UpgradeResourceState({
    type_name: 'fake_thing',
    version: 0,
    raw_state: raw({ id: 'a', name: 'x', inner: [{ port: 1 }, { port: true }] }),
  });
  t.is(wrong.diagnostics![0]!.summary, 'Invalid value type for inner[1].port');
  t.is(wrong.diagnostics![0]!.detail, 'inner[1].port must be a number; got a bool.');
});
