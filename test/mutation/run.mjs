// `make mutation`: StrykerJS over each module of stryker.config.mjs in turn, with a score and a run
// time per module. StrykerJS 10's command line refuses Node.js 20 (its engines say 22), which this
// project still supports; its API runs here unchanged, so it is called directly.
import { Stryker } from '../../node_modules/@stryker-mutator/core/dist/src/stryker.js';
import { MODULES, optionsFor } from '../../stryker.config.mjs';

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(MODULES);
const scores = [];
for (const name of names) {
  const started = Date.now();
  const results = await new Stryker(optionsFor(name)).runMutationTest();
  const killed = results.filter((r) => r.status === 'Killed' || r.status === 'Timeout').length;
  const valid = results.filter(
    (r) => r.status !== 'CompileError' && r.status !== 'RuntimeError' && r.status !== 'Ignored',
  );
  const score = valid.length === 0 ? 100 : (100 * killed) / valid.length;
  scores.push(
    `${name.padEnd(9)} ${score.toFixed(1).padStart(5)}% killed (${killed}/${valid.length}) in ${Math.round((Date.now() - started) / 1000)}s`,
  );
}
console.log(`\nmutation scores:\n${scores.map((s) => `  ${s}`).join('\n')}`);
