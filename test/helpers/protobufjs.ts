import { type INamespace, Root } from 'protobufjs/light';
import { TFPLUGIN6 } from '../../src/tfplugin/wire/proto';
import type { Spec } from '../../src/tfplugin/wire/protobuf';

let root: Root | undefined;

/**
 * The protocol table as protobufjs reads it, with go-plugin's controller beside it: an independent
 * implementation of protobuf that tests call the provider with and check its codec against.
 */
export function reference(): Root {
  root ??= Root.fromJSON(<INamespace>{
    nested: {
      tfplugin6: { nested: descriptors(TFPLUGIN6) },
      plugin: { nested: { Empty: { fields: {} } } },
    },
  });
  return root;
}

const descriptors = (specs: Readonly<Record<string, Spec>>) =>
  Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, descriptor(spec)]));

/** One entry of the table in protobufjs's JSON descriptor form. */
function descriptor(spec: Spec): object {
  if ('values' in spec) return spec;
  const nested = spec.nested && Object.keys(spec.nested).length > 0 ? { nested: descriptors(spec.nested) } : {};
  if (!('fields' in spec)) return nested;
  const fields = Object.fromEntries(
    Object.entries(spec.fields).map(([name, [id, type, rule]]) => {
      if (rule?.startsWith('map<')) return [name, { keyType: rule.slice(4, -1), type, id }];
      return [name, rule ? { rule, type, id } : { type, id }];
    }),
  );
  return { fields, ...nested, ...(spec.oneofs ? { oneofs: spec.oneofs } : {}) };
}
