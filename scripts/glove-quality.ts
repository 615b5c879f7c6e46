// Long quality run of issue 4's must-show 1: GloVe C's text8 demo settings (vector size 50, window 15,
// xMax 10, 15 iterations, minCount 5; eta 0.05, alpha 0.75, symmetric) on the 18M-token text8-style
// corpus (whitespace tokens, one book per line), evaluated with the shared-data protocol: WordSim-353
// Spearman (lowercased, OOV pairs skipped) and Google analogy 3CosAdd restricted to the 30,000 most
// frequent words (covered questions only). Prints one JSON line with quality, cost (CPU-seconds per
// stage) and peak memory next to the GloVe C reference, and writes the vectors.
//   npx tsx scripts/glove-quality.ts [out.txt] [--threads N] [--epochs N] [--memory-budget BYTES] [--corpus PATH]
import os from 'node:os';
import { GloVe } from '../src/index.js';
import { whitespaceTokenizer } from '../src/text/tokenizer.js';

const REFERENCE = {
  tool: 'GloVe C (vocab_count, cooccur, shuffle, glove), 2 threads, same corpus and settings',
  vocabulary: 47155,
  cells: 48.6e6,
  wordsim353: 0.371,
  analogy: 0.281,
  cpuSeconds: { vocabCount: 0.9, cooccur: 13.4, shuffle: 10.8, training: 610, total: 634 },
  cooccurPeakBytes: 1.3e9,
};

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--'))) ?? '.tmp/glove-quality.txt';
const corpus = flag('corpus') ?? '../shared/data/en-corpus-gutenberg-18m/corpus.text8.gz';
const data = '../shared/data';

// Peak resident memory, sampled (process.resourceUsage().maxRSS is the kernel's high-water mark).
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 200);
const phaseCpu: Record<string, number> = {};
// CPU-seconds per phase (scan = tokenising and vocabulary, like vocab_count; counting like cooccur;
// shuffling like shuffle; training like glove), attributed at onProgress phase changes.
let phase = 'scan';
const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
let mark = cpuNow();
let lastLog = 0;
const started = Date.now();
const cpu0 = cpuNow();

const model = await GloVe.train(
  { path: corpus },
  {
    dim: 50,
    window: 15,
    xMax: 10,
    epochs: Number(flag('epochs') ?? 15),
    minCount: 5,
    learningRate: 0.05,
    alpha: 0.75,
    symmetric: true,
    seed: 1,
    threads: flag('threads') ? Number(flag('threads')) : 2,
    tokenizer: whitespaceTokenizer,
    ...(flag('memory-budget') ? { memoryBudget: Number(flag('memory-budget')) } : {}),
    onProgress: (p) => {
      if (p.phase !== phase) {
        const now = cpuNow();
        phaseCpu[phase] = (phaseCpu[phase] ?? 0) + now - mark;
        mark = now;
        phase = p.phase;
      }
      if (Date.now() - lastLog < 15_000) return;
      lastLog = Date.now();
      console.error(
        `${p.phase} ${(p.progress * 100).toFixed(1)}% epoch ${p.epoch}/${p.epochs} tokens ${p.tokens} cells ${p.cells} cost ${p.cost.toFixed(5)} ${Math.round(p.cellsPerSecond)} cells/s rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB`,
      );
    },
  },
);
phaseCpu[phase] = (phaseCpu[phase] ?? 0) + cpuNow() - mark;
const trainCpu = cpuNow() - cpu0;
const wallSeconds = (Date.now() - started) / 1000;
clearInterval(sampler);
const maxRss = process.resourceUsage().maxRSS * 1024;

const ws = await model.embeddings.evaluateWordPairs(`${data}/en-wordsim353/EN-WS-353-ALL.txt`);
const an = await model.embeddings.evaluateAnalogies(`${data}/en-google-analogy/questions-words.txt`, { restrictVocab: 30000 });
await model.embeddings.save(out, { format: 'word2vec-text' });
const s = model.stats;
const result = {
  corpus,
  out,
  vocabulary: model.vocabulary.size,
  cells: s.cells,
  tokens: s.tokens,
  threads: s.threads,
  wordsim353: { spearman: ws.spearman, pairs: ws.pairs, oovPercent: ws.oovRatio },
  analogy: { accuracy: an.accuracy, semantic: an.semantic, syntactic: an.syntactic, covered: an.covered, total: an.total },
  cpuSeconds: { total: trainCpu, ...phaseCpu },
  wallSeconds: {
    total: wallSeconds,
    scan: s.scanSeconds,
    count: s.countSeconds,
    shuffle: s.shuffleSeconds,
    train: s.trainSeconds,
    perEpoch: s.secondsPerEpoch,
  },
  epochCosts: s.epochCosts,
  spilledRuns: s.spilledRuns,
  cellsOnDisk: s.cellsOnDisk,
  memory: { budget: model.options.memoryBudget, wasmBytes: s.memoryBytes, peakRss: Math.max(peakRss, maxRss) },
  vsReference: {
    wordsim353: ws.spearman - REFERENCE.wordsim353,
    analogyPoints: (an.accuracy - REFERENCE.analogy) * 100,
    cpuRatio: trainCpu / REFERENCE.cpuSeconds.total,
  },
  reference: REFERENCE,
  machine: { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), load1: os.loadavg()[0], node: process.version },
};
console.log(JSON.stringify(result, null, 2));
model.dispose();
