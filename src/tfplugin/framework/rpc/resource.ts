import { toProtoPath } from '../../wire/diagnostics';
import { UnreadableStateError, conformState, encodeConformed, parseJsonState } from '../../wire/msgpack';
import type { RequestOf, ResponseOf } from '../../wire/proto';
import type { ObjectValue } from '../../wire/values';
import { type Diagnostic, error, hasErrors } from '../diagnostics';
import { planObject, replacementPlan, withoutUnknowns } from '../plan';
import { decodePrivate, privateBytes } from '../private-state';
import type { PlanResponse } from '../provider';
import { type ProviderServer, decode, encode } from '../provider-server';
import { withDiagnostics } from './provider';

export async function validateResourceConfig(
  server: ProviderServer,
  request: RequestOf<'ValidateResourceConfig'>,
): Promise<ResponseOf<'ValidateResourceConfig'>> {
  const type = server.resource(request.type_name);
  return withDiagnostics(server.validate(type, decode(request.config, type.schema.block)));
}

/**
 * State written by this schema version or an older one: the resource's `upgradeState` brings it to
 * the current shape (without one it reads as it is), then it is conformed to the schema.
 */
export async function upgradeResourceState(
  server: ProviderServer,
  request: RequestOf<'UpgradeResourceState'>,
): Promise<ResponseOf<'UpgradeResourceState'>> {
  const type = server.resource(request.type_name);
  const { block, version } = type.schema;
  const storedVersion = Number(request.version ?? 0);
  if (storedVersion > version) {
    const detail =
      `This state was written by a ${server.definition.name} provider with schema version ${storedVersion}; ` +
      `this one knows ${version}. Use that provider version or newer.`;
    return withDiagnostics([error('State from a newer provider', detail)]);
  }
  try {
    const stored = parseJsonState(request.raw_state?.json);
    const upgraded: { state: unknown; diagnostics?: Diagnostic[] } =
      type.upgradeState && isRecord(stored)
        ? type.upgradeState({ version: storedVersion, state: stored })
        : { state: stored };
    if (hasErrors(upgraded.diagnostics ?? [])) return withDiagnostics(upgraded.diagnostics);
    const state = conformState(upgraded.state, block) as ObjectValue | null;
    if (state) type.loaded?.(state);
    return withDiagnostics(upgraded.diagnostics, { upgraded_state: { msgpack: encodeConformed(state) } });
  } catch (thrown) {
    if (!(thrown instanceof UnreadableStateError)) throw thrown;
    const fix =
      'restore the state from a backup (terraform.tfstate.backup, or an earlier version in your backend), or ' +
      '`terraform state rm` the object and import it again.';
    return withDiagnostics([unreadableState(thrown, `The stored state of a ${request.type_name}`, fix)]);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** State text that is not JSON comes from a damaged or hand-edited state: the user's to repair, not a bug. */
function unreadableState(thrown: UnreadableStateError, what: string, fix: string): Diagnostic {
  const where = thrown.position === undefined ? '' : ` (at position ${thrown.position})`;
  return error(
    'Stored state is not valid JSON',
    `${what} is not valid JSON${where}, so the provider cannot read it. The state was probably edited by hand ` +
      `or damaged: ${fix}`,
  );
}

/** A failed read keeps the state Terraform sent: only the resource decides that an object is gone. */
export async function readResource(
  server: ProviderServer,
  request: RequestOf<'ReadResource'>,
): Promise<ResponseOf<'ReadResource'>> {
  const type = server.resource(request.type_name);
  const state = decode(request.current_state, type.schema.block);
  const unchanged = { new_state: request.current_state, private: request.private };
  if (!state) return withDiagnostics([], unchanged);
  try {
    const read = await type.read({ state, private: decodePrivate(request.private, type.isPrivate) }, server.context());
    return withDiagnostics(read.diagnostics, {
      new_state: encode(read.state, type.schema.block),
      private: privateBytes(read.private, request.private),
    });
  } catch (thrown) {
    return withDiagnostics([server.failure(thrown)], unchanged);
  }
}

/**
 * The plan the rules declare, then the resource's own adjustments; a replacement plans the new
 * object from the configuration alone, with no private state carried over.
 */
export async function planResourceChange(
  server: ProviderServer,
  request: RequestOf<'PlanResourceChange'>,
): Promise<ResponseOf<'PlanResourceChange'>> {
  const type = server.resource(request.type_name);
  const { block } = type.schema;
  const proposed = decode(request.proposed_new_state, block);
  if (!proposed)
    return withDiagnostics([], { planned_state: request.proposed_new_state, planned_private: request.prior_private });
  const prior = decode(request.prior_state, block);
  const config = decode(request.config, block) ?? {};
  const problems = server.validate(type, config);
  if (hasErrors(problems)) return withDiagnostics(problems);
  const declared = planObject(block, type.rules, prior, config);
  let plan: PlanResponse<Record<string, unknown>, object> = declared;
  try {
    if (type.modifyPlan) {
      const asked = { prior, config, ...declared, private: decodePrivate(request.prior_private, type.isPrivate) };
      plan = await type.modifyPlan(asked, server.context());
    }
  } catch (thrown) {
    return withDiagnostics([...problems, server.failure(thrown)]);
  }
  const replace = prior !== null && plan.requiresReplace.length > 0;
  return withDiagnostics([...problems, ...(plan.diagnostics ?? [])], {
    planned_state: encode(replace ? replacementPlan(block, type.rules, config) : plan.planned, block),
    requires_replace: plan.requiresReplace.map(toProtoPath),
    planned_private: privateBytes(replace ? null : plan.private, request.prior_private),
  });
}

/** Create, update or delete. Whatever happens, the response carries the state and private state to keep. */
export async function applyResourceChange(
  server: ProviderServer,
  request: RequestOf<'ApplyResourceChange'>,
): Promise<ResponseOf<'ApplyResourceChange'>> {
  const type = server.resource(request.type_name);
  const { block } = type.schema;
  const prior = decode(request.prior_state, block);
  const planned = decode(request.planned_state, block);
  const config = decode(request.config, block) ?? {};
  const ctx = server.context();
  try {
    // A destroy: Terraform sends no planned state, and always a prior one.
    if (!planned) {
      const problems = await type.delete({ prior: prior! }, ctx);
      return withDiagnostics(problems, { new_state: encode(hasErrors(problems) ? prior : null, block) });
    }
    const known = withoutUnknowns(planned, prior) as ObjectValue;
    const planPrivate = decodePrivate(request.planned_private, type.isPrivate);
    const applied = !prior
      ? await type.create({ planned: known, config }, ctx)
      : type.update
        ? await type.update({ prior, planned: known, config, private: planPrivate }, ctx)
        : { state: known };
    return withDiagnostics(applied.diagnostics, {
      new_state: encode(applied.state, block),
      private: privateBytes(applied.private, request.planned_private),
    });
  } catch (thrown) {
    // The object and its private state stay as they were: a failed apply changes nothing in state.
    return withDiagnostics([server.failure(thrown)], {
      new_state: encode(prior, block),
      private: request.planned_private,
    });
  }
}

export async function importResourceState(
  server: ProviderServer,
  request: RequestOf<'ImportResourceState'>,
): Promise<ResponseOf<'ImportResourceState'>> {
  const type = server.resource(request.type_name);
  if (!type.import) return withDiagnostics([error('Import not supported', `${request.type_name} cannot be imported.`)]);
  try {
    const imported = await type.import(request.id ?? '', server.context());
    if (!imported.state) return withDiagnostics(imported.diagnostics);
    const state = encode(imported.state, type.schema.block);
    return withDiagnostics(imported.diagnostics, {
      imported_resources: [{ type_name: request.type_name, state, private: privateBytes(imported.private, undefined) }],
    });
  } catch (thrown) {
    return withDiagnostics([server.failure(thrown)]);
  }
}

export async function moveResourceState(
  server: ProviderServer,
  request: RequestOf<'MoveResourceState'>,
): Promise<ResponseOf<'MoveResourceState'>> {
  const type = server.resource(request.target_type_name);
  if (!type.move) {
    return withDiagnostics([
      error('Move not supported', `${request.target_type_name} cannot be moved from ${request.source_type_name}.`),
    ]);
  }
  let sourceState: unknown;
  try {
    sourceState = parseJsonState(request.source_state?.json);
  } catch (thrown) {
    if (!(thrown instanceof UnreadableStateError)) throw thrown;
    const what = `The ${request.source_type_name} state to move to ${request.target_type_name}`;
    const fix = 'repair or restore the state of the source, or remove the `moved` block and import the object instead.';
    return withDiagnostics([unreadableState(thrown, what, fix)]);
  }
  const moved = type.move({
    sourceProviderAddress: request.source_provider_address ?? '',
    sourceTypeName: request.source_type_name ?? '',
    sourceSchemaVersion: Number(request.source_schema_version ?? 0),
    sourceState,
  });
  if (!moved.state || hasErrors(moved.diagnostics)) return withDiagnostics(moved.diagnostics);
  const state = conformState(moved.state, type.schema.block);
  return withDiagnostics(moved.diagnostics, {
    target_state: { msgpack: encodeConformed(state) },
    target_private: privateBytes(moved.private, undefined),
  });
}
