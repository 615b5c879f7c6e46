/**
 * Nightly-style fuzzing of every reader (the CI suite in test/fuzz runs 500 cases each).
 *
 *   npx tsx scripts/fuzz.ts [--cases 10000] [--seed N] [--target name[,name]] [--huge 20] [--case i] [--json out.json]
 *
 * Environment: FUZZ_CASES, FUZZ_SEED, FUZZ_TARGETS (comma-separated) as defaults for the flags.
 * Exits 1 when any case fails; each failure prints the case index that reproduces it with --case.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { sharedDataDir } from '../test/helpers/data.js';
import { formatFailure, runFuzz, summarize, type FuzzReport, type FuzzTarget } from '../test/fuzz/harness.js';
import {
  analogiesTarget,
  checkpointTarget,
  classifierCheckpointTarget,
  corpusTarget,
  fastTextTarget,
  gloveCheckpointTarget,
  linearCheckpointTarget,
  linearTarget,
  pairsTarget,
  textClassifierHeaderTarget,
  textClassifierTarget,
  vectorTarget,
  vocabularyTarget,
} from '../test/fuzz/targets.js';

function flag(name: string, fallback: string | undefined): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const cases = Number(flag('cases', process.env.FUZZ_CASES ?? '10000'));
const seed = Number(flag('seed', process.env.FUZZ_SEED ?? String(Date.now() % 1e9)));
const huge = Number(flag('huge', String(Math.max(1, Math.round(cases / 500)))));
const only = flag('case', undefined);
const wanted = flag('target', process.env.FUZZ_TARGETS)?.split(',');
const jsonOut = flag('json', undefined);

// Full model loads start WebAssembly workers (~40 ms): every 10th case gets one in the nightly run.
const targets: Record<string, () => FuzzTarget> = {
  'vectors:word2vec-text': () => vectorTarget('word2vec-text'),
  'vectors:word2vec-binary': () => vectorTarget('word2vec-binary'),
  'vectors:glove': () => vectorTarget('glove'),
  'vectors:vec': () => vectorTarget('vec'),
  'vectors:wasm2vec': () => vectorTarget('wasm2vec'),
  'model:linear': () => linearTarget(Math.ceil(cases / 10)),
  'model:text-classifier': () => textClassifierTarget(Math.ceil(cases / 20)),
  'model:text-classifier-decode': () => textClassifierHeaderTarget(),
  'model:word2vec-checkpoint': () => checkpointTarget(Math.ceil(cases / 50)),
  'model:glove-checkpoint': () => gloveCheckpointTarget(),
  'model:text-classifier-checkpoint': () => classifierCheckpointTarget(),
  'model:linear-checkpoint': () => linearCheckpointTarget(Math.ceil(cases / 50)),
  'model:fasttext-bin': () => fastTextTarget('bin', Math.ceil(cases / 10)),
  'model:fasttext-ftz': () => fastTextTarget('ftz', Math.ceil(cases / 10)),
  'json:vocabulary': () => vocabularyTarget(),
  // Seeded from the WordSim sets where the data suite's folder is present, else from the shipped seed file.
  'eval:word-pairs': () => pairsTarget(existsSync(sharedDataDir()) ? 'shared' : 'repo'),
  'eval:analogies': () => analogiesTarget(),
  'corpus:decode': () => corpusTarget(),
};

const names = wanted ?? Object.keys(targets);
for (const n of names) if (!targets[n]) throw new Error(`unknown target ${n}; known: ${Object.keys(targets).join(', ')}`);
console.log(`fuzz: ${cases} cases per reader, seed ${seed}, ${huge} with a 10 MB line each`);
const reports: FuzzReport[] = [];
let failed = 0;
for (const n of names) {
  const r = await runFuzz(targets[n](), { cases, seed, hugeCases: huge, only: only === undefined ? undefined : Number(only), maxFailures: 50 });
  reports.push(r);
  console.log(summarize(r));
  for (const f of r.failures)
    console.log(`  FAIL ${formatFailure(f)}\n    reproduce: npx tsx scripts/fuzz.ts --target ${n} --seed ${seed} --cases ${cases} --case ${f.index}`);
  failed += r.failures.length;
}
const total = reports.reduce((a, r) => a + r.cases, 0);
const seconds = reports.reduce((a, r) => a + r.seconds, 0);
console.log(`total: ${total} cases in ${seconds.toFixed(1)} s, ${failed} failures`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ seed, cases, reports }, null, 2));
process.exit(failed ? 1 : 0);
