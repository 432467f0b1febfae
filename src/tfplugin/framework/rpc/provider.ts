import { toProtoDiagnostic } from '../../wire/diagnostics';
import type { MessageOf, RequestOf, ResponseOf } from '../../wire/proto';
import { type TerraformSchema, toProtoSchema } from '../../wire/schema';
import { type Diagnostic, hasErrors } from '../diagnostics';
import { resolveProviderConfig } from '../environment';
import { type ProviderServer, decode } from '../provider-server';
import { isUnknown } from '../../wire/values';

/**
 * A response: its fields and its diagnostics, in the wire's form. The response type comes from
 * where the value goes (the RPC's declared return type), never from the fields, so that a field
 * the response does not have fails to compile.
 */
export const withDiagnostics = <T extends { diagnostics?: MessageOf<'Diagnostic'>[] }>(
  diagnostics: Diagnostic[] = [],
  fields?: NoInfer<Omit<T, 'diagnostics'>>,
): T => ({ ...fields, diagnostics: diagnostics.map(toProtoDiagnostic) }) as T;

export async function getProviderSchema(server: ProviderServer): Promise<ResponseOf<'GetProviderSchema'>> {
  const schemas = (types: { typeName: string; schema: TerraformSchema }[]) =>
    Object.fromEntries(types.map((t) => [t.typeName, toProtoSchema(t.schema)]));
  return withDiagnostics([], {
    provider: toProtoSchema(server.definition.schema),
    resource_schemas: schemas(server.allResources()),
    data_source_schemas: schemas(server.allDataSources()),
    server_capabilities: {
      get_provider_schema_optional: true,
      move_resource_state: server.allResources().some((r) => r.move !== undefined),
    },
  });
}

export async function validateProviderConfig(
  server: ProviderServer,
  request: RequestOf<'ValidateProviderConfig'>,
): Promise<ResponseOf<'ValidateProviderConfig'>> {
  const provider = server.definition;
  return withDiagnostics(server.validate(provider, decode(request.config, provider.schema.block)));
}

export async function configureProvider(
  server: ProviderServer,
  request: RequestOf<'ConfigureProvider'>,
): Promise<ResponseOf<'ConfigureProvider'>> {
  const { schema, rules, configure } = server.definition;
  const declared = decode(request.config, schema.block) ?? {};
  const { resolved, problems } = resolveProviderConfig(schema.block, rules, declared, server.env);
  if (hasErrors(problems)) return withDiagnostics(problems);
  // Arguments Terraform cannot know before apply (set from another resource) reach the provider as null, named in `unknown`.
  const unknown = new Set(Object.keys(resolved).filter((name) => isUnknown(resolved[name])));
  const config = Object.fromEntries(
    Object.entries(resolved).map(([name, value]) => [name, isUnknown(value) ? null : value]),
  );
  const configured = await configure({ config, unknown }, server.context());
  server.configured(configured.data);
  return withDiagnostics(configured.diagnostics);
}

export async function stopProvider(server: ProviderServer): Promise<ResponseOf<'StopProvider'>> {
  server.stopAll();
  return {};
}
