// Long quality run of issue 2's must-show 2: trains on the 18M-token corpus with the reference settings
// and writes the vectors; evaluate them with `scripts/evaluate.ts` (our evaluator) and, where Debian's
// python3-gensim is installed, with `scripts/gensim-eval.py` (the reference protocol).
//   npx tsx scripts/word2vec-quality.ts skipgram|cbow [out.txt] [--threads N] [--mode classic|batched] [--alpha X] [--epochs N]
import { Word2Vec } from '../src/index.js';

const [model = 'skipgram', out = `.tmp/quality-${model}.txt`] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const corpus = flag('corpus') ?? '../shared/data/en-corpus-gutenberg-18m/corpus.text8.gz';
const started = Date.now();
const cpu0 = process.cpuUsage();
let last = 0;
const m = await Word2Vec.train(
  { path: corpus },
  {
    model: model as 'skipgram' | 'cbow',
    dim: 100,
    window: 5,
    negative: 5,
    sample: 1e-3,
    minCount: 5,
    epochs: Number(flag('epochs') ?? 5),
    seed: 1,
    threads: flag('threads') ? Number(flag('threads')) : undefined,
    ...(flag('alpha') ? { alpha: Number(flag('alpha')) } : {}),
    ...(flag('mode') ? { mode: flag('mode') as 'classic' | 'batched' } : {}),
    onProgress: (p) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      console.error(
        `${(p.progress * 100).toFixed(1)}% epoch ${p.epoch} alpha ${p.alpha.toFixed(5)} ${Math.round(p.wordsPerSecond)} words/s loss ${p.meanLoss.toFixed(4)}`,
      );
    },
  },
);
const cpu = process.cpuUsage(cpu0);
await m.embeddings.save(out, { format: 'word2vec-text' });
console.log(
  JSON.stringify({
    model,
    out,
    vocabulary: m.vocabulary.size,
    ...m.stats,
    wallSeconds: (Date.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  }),
);
m.dispose();
