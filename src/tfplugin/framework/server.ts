import type { Logger } from '../wire/log';
import type { Message, ProviderHandlers, ProviderRpc } from '../wire/proto';
import { toProtoDiagnostic } from '../wire/diagnostics';
import type { ProviderDefinition } from './provider';
import { ProviderServer } from './provider-server';
import { readDataSource, validateDataResourceConfig } from './rpc/data-source';
import { configureProvider, getProviderSchema, stopProvider, validateProviderConfig } from './rpc/provider';
import {
  applyResourceChange,
  importResourceState,
  moveResourceState,
  planResourceChange,
  readResource,
  upgradeResourceState,
  validateResourceConfig,
} from './rpc/resource';

const RPCS: Record<ProviderRpc, (server: ProviderServer, request: Message) => Promise<Message>> = {
  GetProviderSchema: getProviderSchema,
  ValidateProviderConfig: validateProviderConfig,
  ValidateResourceConfig: validateResourceConfig,
  ValidateDataResourceConfig: validateDataResourceConfig,
  UpgradeResourceState: upgradeResourceState,
  ConfigureProvider: configureProvider,
  ReadResource: readResource,
  PlanResourceChange: planResourceChange,
  ApplyResourceChange: applyResourceChange,
  ImportResourceState: importResourceState,
  MoveResourceState: moveResourceState,
  ReadDataSource: readDataSource,
  StopProvider: stopProvider,
};

/**
 * A provider definition as the wire's handlers: decode, call the provider's functions, encode.
 * Any exception becomes an error diagnostic, so a bug never kills the plugin.
 */
export function providerHandlers<C, D>(definition: ProviderDefinition<C, D>, log: Logger): ProviderHandlers {
  const server = new ProviderServer(definition as ProviderDefinition<unknown, unknown>, log);
  const entries = Object.entries(RPCS).map(([rpc, handle]) => [
    rpc,
    async (request: Message) => {
      const started = performance.now();
      try {
        const response = await handle(server, request);
        log.log('debug', `${rpc} done`, {
          rpc,
          type: request.type_name,
          ms: Math.round((performance.now() - started) * 100) / 100,
        });
        return response;
      } catch (thrown) {
        return { diagnostics: [toProtoDiagnostic(server.failure(thrown))] };
      }
    },
  ]);
  return Object.fromEntries(entries) as ProviderHandlers;
}
