// Evaluates a fastText .bin with the quality test's evaluator and prints one JSON line (used by
// scripts/fasttext-reference.sh): `npx tsx evaluate-bin.ts model.bin SEED CPU_SECONDS`.
import { readFastText } from '../../../src/train/fasttext/reader.js';
import { fastTextQuality } from './quality-eval.js';

const [path, seed, cpu] = process.argv.slice(2);
const model = await readFastText(path);
const q = await fastTextQuality(model);
const r = (x: number) => Math.round(x * 10000) / 10000;
console.log(
  JSON.stringify({
    seed: Number(seed),
    cpuSeconds: Number(cpu),
    nwords: model.dictionary.nwords,
    syntactic: r(q.syntactic),
    semantic: r(q.semantic),
    covered: q.covered,
    oovTop10: q.oovTop10,
  }),
);
