import { serve } from '../wire/serve';
import type { Environment, ProviderDefinition } from './provider';
import { providerHandlers } from './server';

/**
 * Serve a provider definition over the plugin protocol: what a provider's main module calls, with
 * the environment the process started with (no RPC reads process.env itself).
 */
export function serveProvider<C, D>(definition: ProviderDefinition<C, D>, env: Environment): void {
  serve(definition.name, (log) => providerHandlers(definition, log, env));
}
