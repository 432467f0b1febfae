import type { TerraformAttribute, TerraformBlock, TerraformNestedBlock } from './schema';

/** A block's attributes and nested block types, as entries in declaration order. */
export interface BlockFields {
  readonly attributes: ReadonlyArray<readonly [string, TerraformAttribute]>;
  readonly blockTypes: ReadonlyArray<readonly [string, TerraformNestedBlock]>;
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
      attributes: Object.entries(block.attributes ?? {}),
      blockTypes: Object.entries(block.block_types ?? {}),
    };
    made.set(block, fields);
  }
  return fields;
}
