import test from 'ava';
import { blockFields } from '../../../src/tfplugin/wire/block-fields';
import type { TerraformBlock } from '../../../src/tfplugin/wire/schema';

const nested: TerraformBlock = { attributes: { host: { type: 'string', required: true } } };
const block: TerraformBlock = {
  attributes: { id: { type: 'string', computed: true }, name: { type: 'string', optional: true } },
  block_types: { source: { nesting_mode: 'list', block: nested } },
};

test("a block's attributes and nested blocks, in declaration order; none for a block without them", (t) => {
  const fields = blockFields(block);
  t.deepEqual(fields.attributes, [
    { name: 'id', attribute: block.attributes!.id },
    { name: 'name', attribute: block.attributes!.name },
  ]);
  t.deepEqual(fields.blockTypes, [{ name: 'source', nested: block.block_types!.source }]);
  t.deepEqual(blockFields(nested).blockTypes, []);
  t.deepEqual(blockFields({}), { attributes: [], blockTypes: [] });
});

test('each block is listed once: later walks get the same lists, and another block its own', (t) => {
  t.is(blockFields(block), blockFields(block));
  t.not(blockFields(nested), blockFields(block));
  t.not(blockFields({ ...block }), blockFields(block));
});
