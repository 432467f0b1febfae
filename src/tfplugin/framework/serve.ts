import { serve } from '../wire/serve';
import type { ProviderDefinition } from './provider';
import { providerHandlers } from './server';

/** Serve a provider definition over the plugin protocol: what a provider's main module calls. */
export function serveProvider<C, D>(definition: ProviderDefinition<C, D>): void {
  serve(definition.name, (log) => providerHandlers(definition, log));
}
