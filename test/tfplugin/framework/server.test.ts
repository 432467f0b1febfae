import test from 'ava';
import { decodeValue, encodeValue } from '../../../src/tfplugin/wire/msgpack';
import type { ProviderDefinition } from '../../../src/tfplugin/framework/provider';
import type { TerraformBlock } from '../../../src/tfplugin/wire/schema';
import { providerHandlers } from '../../../src/tfplugin/framework/server';

const block: TerraformBlock = { attributes: { id: { type: 'string', computed: true }, name: { type: 'string', required: true } } };
const lines: string[] = [];
const log = { log: (level: string, message: string) => void lines.push(`${level} ${message}`) };

function definition(create: ProviderDefinition<null>['resources'][string]['create']): ProviderDefinition<null> {
  return {
    name: 'fake',
    schemas: { provider: { version: 0, block: {} }, resources: { fake_thing: { version: 0, block } }, dataSources: {} },
    rules: { provider: {}, resources: { fake_thing: { name: { checks: { minLength: 1 } } } }, data_sources: {} },
    configure: async () => ({ data: null }),
    resources: { fake_thing: { create, read: async (state) => ({ state }), delete: async () => [] } },
    dataSources: {},
  };
}
const dynamic = (value: Record<string, unknown> | null) => ({ msgpack: encodeValue(value as never, block) });

test('an exception in a resource becomes an error diagnostic, and the plugin lives on', async (t) => {
  const handlers = providerHandlers(definition(async () => {
    throw new TypeError('boom');
  }), log);
  const response = await handlers.ApplyResourceChange({ type_name: 'fake_thing', prior_state: dynamic(null), planned_state: dynamic({ name: 'x' }), config: dynamic({ name: 'x' }) });
  t.is(response.diagnostics[0].severity, 1);
  t.regex(response.diagnostics[0].summary, /Internal error in the fake provider/);
  t.regex(response.diagnostics[0].detail, /boom[\s\S]*bug in the provider/);
  t.true(lines.some((l) => l.startsWith('error internal error')));
  const schema = await handlers.GetProviderSchema({});
  t.truthy(schema.resource_schemas.fake_thing, 'later calls still work');
});

test('StopProvider cancels the signal handed to operations in flight', async (t) => {
  let signal: AbortSignal | undefined;
  const handlers = providerHandlers(definition(async (planned, _config, ctx) => {
    signal = ctx.signal;
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    return { state: { ...planned, id: 'kept' }, diagnostics: [{ severity: 'error', summary: 'stopped' }] };
  }), log);
  const apply = handlers.ApplyResourceChange({ type_name: 'fake_thing', prior_state: dynamic(null), planned_state: dynamic({ name: 'x' }), config: dynamic({ name: 'x' }) });
  await new Promise((r) => setTimeout(r, 20));
  t.false(signal!.aborted);
  await handlers.StopProvider({});
  const response = await apply;
  t.true(signal!.aborted);
  t.deepEqual(decodeValue(response.new_state.msgpack, block), { id: 'kept', name: 'x' }, 'the new state comes back with the error');
});

test('PlanResourceChange validates known values before planning, with the attribute path', async (t) => {
  const handlers = providerHandlers(definition(async () => ({ state: null })), log);
  const response = await handlers.PlanResourceChange({ type_name: 'fake_thing', prior_state: dynamic(null), proposed_new_state: dynamic({ name: '' }), config: dynamic({ name: '' }) });
  t.is(response.planned_state, undefined);
  t.deepEqual(response.diagnostics[0].attribute, { steps: [{ attribute_name: 'name' }] });
});
