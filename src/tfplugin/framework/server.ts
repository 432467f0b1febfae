import type { Logger } from '../wire/log';
import type { ProviderHandlers, ProviderRpc, RequestOf, ResponseOf } from '../wire/proto';
import { toProtoDiagnostic } from '../wire/diagnostics';
import type { Environment, ProviderDefinition } from './provider';
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

const RPCS: { [R in ProviderRpc]: (server: ProviderServer, request: RequestOf<R>) => Promise<ResponseOf<R>> } = {
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
 * Any exception becomes an error diagnostic, so a bug never kills the plugin. The environment is
 * the one the provider was started with (none in a unit test).
 */
export function providerHandlers<C, D>(
  definition: ProviderDefinition<C, D>,
  log: Logger,
  env: Environment = {},
): ProviderHandlers {
  const server = new ProviderServer(definition as ProviderDefinition<unknown, unknown>, log, env);
  // Terraform shows debug lines only when asked (TF_LOG): otherwise no call is timed or described.
  const timed = log.shows?.('debug') ?? true;
  const handler = <R extends ProviderRpc>(rpc: R) => {
    const done = `${rpc} done`;
    return async (request: RequestOf<R>): Promise<ResponseOf<R>> => {
      const started = timed ? performance.now() : 0;
      try {
        const response = await RPCS[rpc](server, request);
        if (timed) {
          log.log('debug', done, {
            rpc,
            type: 'type_name' in request ? request.type_name : undefined,
            ms: Math.round((performance.now() - started) * 100) / 100,
          });
        }
        return response;
      } catch (thrown) {
        // Every response but StopProvider's (which cannot fail) carries diagnostics.
        return { diagnostics: [toProtoDiagnostic(server.failure(thrown))] } as unknown as ResponseOf<R>;
      }
    };
  };
  return Object.fromEntries(Object.keys(RPCS).map((rpc) => [rpc, handler(rpc as ProviderRpc)])) as ProviderHandlers;
}
