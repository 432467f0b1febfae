import type { ProviderDefinition } from '../../src/tfplugin/framework/provider';
import { providerHandlers } from '../../src/tfplugin/framework/server';
import { decodeValue, encodeValue } from '../../src/tfplugin/wire/msgpack';
import type { TerraformBlock } from '../../src/tfplugin/wire/schema';
import type { ObjectValue, PathStep } from '../../src/tfplugin/wire/values';
import type { ResponseOf } from '../../src/tfplugin/wire/proto';

export interface Diagnostic {
  severity: number;
  summary: string;
  detail: string;
}

/**
 * A provider's RPC handlers driven as Terraform drives them, with values given and returned as
 * plain objects: what a resource does, without the terraform binary or a plugin process.
 */
export function rpcClient<C, D>(definition: ProviderDefinition<C, D>, logLines: string[] = []) {
  const handlers = providerHandlers(definition, { log: (level, message) => void logLines.push(`${level} ${message}`) });
  const blockOf = (typeName: string): TerraformBlock =>
    definition.resources.find((r) => r.typeName === typeName)!.schema.block;
  const dataBlockOf = (typeName: string): TerraformBlock =>
    definition.dataSources.find((d) => d.typeName === typeName)!.schema.block;
  const dynamic = (value: ObjectValue | null, block: TerraformBlock) => ({ msgpack: encodeValue(value, block) });
  const value = (response: { msgpack?: Uint8Array } | undefined, block: TerraformBlock) =>
    decodeValue(response?.msgpack, block);
  const bytes = (priv: object | null | undefined) => (priv ? Buffer.from(JSON.stringify(priv)) : undefined);
  const parsed = (raw: Uint8Array | undefined) =>
    raw && raw.length > 0 ? JSON.parse(Buffer.from(raw).toString('utf8')) : null;

  /** What ApplyResourceChange and ReadResource answer: the new state, its private state, diagnostics. */
  const newState = (response: ResponseOf<'ApplyResourceChange' | 'ReadResource'>, block: TerraformBlock) => ({
    state: value(response.new_state, block),
    private: parsed(response.private),
    diagnostics: (response.diagnostics ?? []) as Diagnostic[],
  });

  return {
    async configure(config: ObjectValue): Promise<Diagnostic[]> {
      const response = await handlers.ConfigureProvider({ config: dynamic(config, definition.schema.block) });
      return (response.diagnostics ?? []) as Diagnostic[];
    },
    async plan(typeName: string, prior: ObjectValue | null, config: ObjectValue, priorPrivate?: object | null) {
      const block = blockOf(typeName);
      const response = await handlers.PlanResourceChange({
        type_name: typeName,
        prior_state: dynamic(prior, block),
        proposed_new_state: dynamic(config, block),
        config: dynamic(config, block),
        prior_private: bytes(priorPrivate),
      });
      return {
        planned: value(response.planned_state, block),
        requiresReplace: (response.requires_replace ?? []).map((path) =>
          (path.steps ?? []).map((s) => s.attribute_name ?? s.element_key_int),
        ) as PathStep[][],
        private: parsed(response.planned_private),
        diagnostics: (response.diagnostics ?? []) as Diagnostic[],
      };
    },
    async apply(
      typeName: string,
      prior: ObjectValue | null,
      planned: ObjectValue | null,
      config: ObjectValue | null,
      plannedPrivate?: object | null,
    ) {
      const block = blockOf(typeName);
      const response = await handlers.ApplyResourceChange({
        type_name: typeName,
        prior_state: dynamic(prior, block),
        planned_state: dynamic(planned, block),
        config: dynamic(config, block),
        planned_private: bytes(plannedPrivate),
      });
      return newState(response, block);
    },
    async read(typeName: string, state: ObjectValue, priv?: object | null) {
      const block = blockOf(typeName);
      const response = await handlers.ReadResource({
        type_name: typeName,
        current_state: dynamic(state, block),
        private: bytes(priv),
      });
      return newState(response, block);
    },
    async import(typeName: string, id: string) {
      const block = blockOf(typeName);
      const response = await handlers.ImportResourceState({ type_name: typeName, id });
      const [imported] = response.imported_resources ?? [];
      return {
        state: imported ? value(imported.state, block) : null,
        private: parsed(imported?.private),
        diagnostics: (response.diagnostics ?? []) as Diagnostic[],
      };
    },
    async validateData(typeName: string, config: ObjectValue): Promise<Diagnostic[]> {
      const request = { type_name: typeName, config: dynamic(config, dataBlockOf(typeName)) };
      return ((await handlers.ValidateDataResourceConfig(request)).diagnostics ?? []) as Diagnostic[];
    },
    async readData(typeName: string, config: ObjectValue) {
      const block = dataBlockOf(typeName);
      const response = await handlers.ReadDataSource({ type_name: typeName, config: dynamic(config, block) });
      return { state: value(response.state, block), diagnostics: (response.diagnostics ?? []) as Diagnostic[] };
    },
    stop: () => handlers.StopProvider({}),
  };
}
