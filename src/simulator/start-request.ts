import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { StartMigrationRequest } from '../../generated/types';
import startRequestSchema from '../../schema/api/start-request.schema.json';
import { type Reply, apiError } from './http';

// Compiled on first use: the CLI bundles the simulator, and most of its commands never start one.
let compiled: ValidateFunction<StartMigrationRequest> | undefined;
const validator = () =>
  (compiled ??= new Ajv2020({ allErrors: false, strict: false }).compile<StartMigrationRequest>(startRequestSchema));

/** The body of a start, or the 400/422 the API answers a malformed one with (naming the field). */
export function parseStartRequest(body: string): StartMigrationRequest | Reply {
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    return apiError(400, 'bad_request', 'The request body is not valid JSON.');
  }
  const validate = validator();
  if (validate(request)) return request;
  const error = validate.errors![0]!;
  const extra = error.params && 'additionalProperty' in error.params ? `.${error.params.additionalProperty}` : '';
  const field = `${error.instancePath.slice(1).replace(/\//g, '.')}${extra}`.replace(/^\./, '');
  return apiError(422, 'unprocessable_entity', `${field || 'body'} ${error.message}`);
}
