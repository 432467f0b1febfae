import type { TerraformAttribute, TerraformBlock, TerraformNestedBlock } from './schema';

/**
 * A block's attributes and nested block types, in declaration order. Objects, not [name, value]
 * pairs: destructuring an array goes through the iterator protocol, which costs several times more
 * in code that has not been optimized yet (most of a provider's, which lives for one command).
 */
export interface BlockFields {
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly attribute: TerraformAttribute }>;
  readonly blockTypes: ReadonlyArray<{ readonly name: string; readonly nested: TerraformNestedBlock }>;
}

const made = new WeakMap<TerraformBlock, BlockFields>();

/**
 * The fields of a block, listed once per block: the RPCs of a plan walk the same few schemas
 * hundreds of times, and listing them anew (Object.entries) on every walk allocated a good part of
 * each call's garbage. A schema is never changed once a provider is defined.
 */
export function blockFields(block: TerraformBlock): BlockFields {
  let fields = made.get(block);
  if (!fields) {
    fields = {
      attributes: Object.entries(block.attributes ?? {}).map(([name, attribute]) => ({ name, attribute })),
      blockTypes: Object.entries(block.block_types ?? {}).map(([name, nested]) => ({ name, nested })),
    };
    made.set(block, fields);
  }
  return fields;
}
