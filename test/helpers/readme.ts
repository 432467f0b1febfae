import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './project';

/** Every fenced block of the README, with the kind its `<!-- sample: KIND -->` marker gives. */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
export const samples = [...README.matchAll(/(?:<!-- sample: ([a-z-]+) -->\n)?```[a-z]*\n([\s\S]*?)```/g)].map(
  (m, index) => ({ kind: m[1], code: m[2]!, index }),
);
export const ofKind = (kind: string) => samples.filter((s) => s.kind === kind);

/** The one sample of a kind. */
export const only = (kind: string) => {
  const [sample, ...more] = ofKind(kind);
  if (!sample || more.length > 0) throw new Error(`the README needs exactly one ${kind} sample`);
  return sample.code;
};

/** A sample with the README's placeholder for a checkout of dodb replaced by this one. */
export const checkout = (code: string) => code.replaceAll('/path/to/dodb', ROOT);

/** The README's CDKTF app, for CDK Terrain: the same app importing cdktn and dodb/cdktn/.... */
export const cdktnApp = () =>
  only('typescript').replace("from 'cdktf'", "from 'cdktn'").replaceAll("from 'dodb/", "from 'dodb/cdktn/");
