import type { RequestOf, ResponseOf } from '../../wire/proto';
import { hasErrors } from '../diagnostics';
import { type ProviderServer, decode, encode } from '../provider-server';
import { withDiagnostics } from './provider';

export async function validateDataResourceConfig(
  server: ProviderServer,
  request: RequestOf<'ValidateDataResourceConfig'>,
): Promise<ResponseOf<'ValidateDataResourceConfig'>> {
  const type = server.dataSource(request.type_name);
  return withDiagnostics(server.validate(type, decode(request.config, type.schema.block)));
}

export async function readDataSource(
  server: ProviderServer,
  request: RequestOf<'ReadDataSource'>,
): Promise<ResponseOf<'ReadDataSource'>> {
  const type = server.dataSource(request.type_name);
  const { block } = type.schema;
  const config = decode(request.config, block) ?? {};
  const problems = server.validate(type, config);
  if (hasErrors(problems)) return withDiagnostics(problems);
  try {
    const read = await type.read(config, server.context());
    return withDiagnostics(read.diagnostics, read.state ? { state: encode(read.state, block) } : {});
  } catch (thrown) {
    return withDiagnostics([server.failure(thrown)]);
  }
}
