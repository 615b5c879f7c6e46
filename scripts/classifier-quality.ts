/**
 * Long accuracy runs of the TextClassifier (issue 5, "Must show 2"). Not part of CI.
 *
 *   npx tsx scripts/classifier-quality.ts --dataset mr [--seeds 1,2,3] [--epochs 10] [--threads 2]
 *   npx tsx scripts/classifier-quality.ts --dataset mr --pretrained train   # Word2Vec dim 64 on the 18M corpus first
 *   npx tsx scripts/classifier-quality.ts --dataset mr --pretrained vectors.txt [--freeze]
 *   npx tsx scripts/classifier-quality.ts --dataset chnsenticorp [--seq 100]
 *
 * Trains the reference model (vocab 20,000, SEQ 50, Embedding 64, LSTM 128 → LSTM 128 → Dense(1,
 * sigmoid), Adam 1e-3, batch 32) on folds 1–9 and reports the test accuracy on fold 0 after every
 * epoch, per seed: the best epoch and the last, and their means over the seeds.
 *
 * Measured 2026-11-29 on the project machine (2 shared cores, load 3–11), threads 2, seeds 1,2,3, 10 epochs:
 *   MR fold 0, reference model:                 best epoch 75.66 / 75.19 / 76.87 → mean 75.91 %; last epoch mean 73.66 %
 *   MR fold 0, pretrained (Word2Vec skip-gram dim 64, 5 epochs on corpus.text8.gz, trainable):
 *                                               best epoch 77.06 / 77.34 / 78.00 → mean 77.47 %; last epoch mean 74.03 %
 *   ChnSentiCorp fold 0, SEQ 100:               best epoch 86.49 / 87.13 / 85.59 → mean 86.40 %; last epoch mean 83.57 %
 * Test loss rises after epoch 1–3 (the model overfits), which is why the last epoch trails the best.
 */
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { TextClassifier, Word2Vec, Embeddings } from '../src/index.js';
import { parseLabelledTsv, splitByFold } from '../src/classify/labelled-tsv.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback?: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const dataset = flag('dataset', 'mr')!;
const seeds = flag('seeds', '1,2,3')!.split(',').map(Number);
const epochs = Number(flag('epochs', '10'));
const threads = Number(flag('threads', String(os.availableParallelism())));
const pretrainedArg = flag('pretrained');
const freeze = args.includes('--freeze');
const data = '/work/shared/data';
const files: Record<string, { path: string; seq: number }> = {
  mr: { path: join(data, 'en-mr-polarity/mr.tsv'), seq: 50 },
  chnsenticorp: { path: join(data, 'zh-chnsenticorp-htl/chnsenticorp_htl.tsv'), seq: 100 },
};
const spec = files[dataset];
if (!spec) throw new Error(`--dataset: one of ${Object.keys(files).join(', ')}`);
const seq = Number(flag('seq', String(spec.seq)));
const testFold = Number(flag('fold', '0'));

const rows = parseLabelledTsv(readFileSync(spec.path, 'utf8'), spec.path);
const { train, test } = splitByFold(rows, testFold);

async function pretrainedVectors(): Promise<Embeddings | undefined> {
  if (!pretrainedArg) return undefined;
  if (pretrainedArg !== 'train') return Embeddings.load(pretrainedArg);
  const cache = join('.tmp', 'classifier-quality', 'w2v-18m-dim64.txt');
  if (existsSync(cache)) return Embeddings.load(cache);
  const t0 = performance.now();
  const w2v = await Word2Vec.train({ path: join(data, 'en-corpus-gutenberg-18m/corpus.text8.gz') },
    { dim: 64, model: 'skipgram', window: 5, negative: 5, epochs: 5, minCount: 5, threads, seed: 1 });
  console.log(`Word2Vec skip-gram dim 64 on the 18M corpus: ${w2v.vocabulary.size} words, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  mkdirSync(join('.tmp', 'classifier-quality'), { recursive: true });
  await w2v.embeddings.save(cache);
  const e = w2v.embeddings;
  w2v.dispose();
  return e;
}

const pretrained = await pretrainedVectors();
console.log(`# ${dataset}: train ${train.texts.length} (folds ≠ ${testFold}), test ${test.texts.length} (fold ${testFold}); ` +
  `SEQ ${seq}, vocab 20000, batch 32, ${epochs} epochs, threads ${threads}` +
  (pretrained ? `, pretrained ${pretrainedArg} (${pretrained.size} words${freeze ? ', frozen' : ''})` : ''));
console.log(`machine: ${os.cpus()[0]?.model}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
console.log('| seed | test accuracy per epoch | best (epoch) | last | s/epoch |');
console.log('|---|---|---|---|---|');
const best: number[] = [], last: number[] = [];
for (const seed of seeds) {
  const clf = new TextClassifier({
    vocabSize: 20000, sequenceLength: seq, embeddingDim: 64, lstm: [{ units: 128, returnSequences: true }, { units: 128 }],
    classes: 2, seed, threads, pretrained, trainEmbeddings: !freeze,
  });
  const { history } = await clf.fit(train.texts, train.labels, { epochs, batchSize: 32, validationData: [test.texts, test.labels] });
  const acc = history.map((h) => h.valAccuracy!);
  const b = Math.max(...acc);
  best.push(b);
  last.push(acc[acc.length - 1]);
  const secs = history.reduce((a, h) => a + h.seconds, 0) / history.length;
  console.log(`| ${seed} | ${acc.map((a) => (100 * a).toFixed(1)).join(' ')} | ${(100 * b).toFixed(2)} (${acc.indexOf(b) + 1}) | ${(100 * acc[acc.length - 1]).toFixed(2)} | ${secs.toFixed(1)} |`);
  clf.dispose();
}
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
console.log(`\nmean over seeds ${seeds.join(',')}: best epoch ${(100 * mean(best)).toFixed(2)} %, last epoch ${(100 * mean(last)).toFixed(2)} %` +
  ` (majority class ${(100 * Math.max(mean(test.labels), 1 - mean(test.labels))).toFixed(1)} %)`);
console.log(`load after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
