/**
 * The readers under fuzz, each with valid seed files and invariants on what a successful read
 * returns. Shared by test/fuzz/*.test.ts (CI) and scripts/fuzz.ts (nightly-style).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  Embeddings,
  GloVe,
  LinearClassifier,
  TextClassifier,
  Vocabulary,
  Word2Vec,
  parseAnalogies,
  parseWordPairs,
  whitespaceTokenizer,
  type VectorFormat,
} from '../../src/index.js';
import { decodeLinearModel } from '../../src/classify/linear/model-file.js';
import { FastText } from '../../src/train/fasttext/fasttext.js';
import { decodeClassifierFile } from '../../src/classify/lstm/model-file.js';
import { scanCorpus } from '../../src/text/id-stream.js';
import { decodeCheckpoint } from '../../src/train/word2vec/checkpoint.js';
import { decodeGloveCheckpoint } from '../../src/train/glove/checkpoint.js';
import { decodeClassifierCheckpoint } from '../../src/classify/lstm/checkpoint.js';
import { decodeLinearCheckpoint } from '../../src/classify/linear/checkpoint.js';
import { loadVectors } from '../../src/vectors/load-vectors.js';
import { createTokenizer } from '../../src/text/tokenizer.js';
import { demoCorpusPath, repoData, repoRoot, sharedData } from '../helpers/data.js';
import { Rng, jsonHeaderMutator, jsonMutator, utf8, type FuzzTarget, type Mutator } from './harness.js';

const lenient = new TextDecoder('utf-8');

/** Splits bytes into 1..8 chunks at random points (so readers see multi-byte characters and lines cut anywhere). */
function randomChunks(bytes: Uint8Array, rng: Rng): Uint8Array[] {
  const cuts = new Set<number>();
  const n = rng.int(8);
  for (let i = 0; i < n; i++) cuts.add(rng.int(bytes.length + 1));
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of [...sorted, bytes.length]) {
    if (c > at) out.push(bytes.slice(at, c));
    at = c;
  }
  return out;
}

async function* iterate(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw new Error(`silent wrong answer: ${what}[${i}] = ${values[i]}`);
}

// ---- vectors --------------------------------------------------------------------------------------

const WORDS = ['the', 'king', 'queen', 'Königin', '王后', 'café', '__proto__', 'constructor', 'toString', 'a', 'hasOwnProperty', '😀', 'x_y', 'prototype'];

function sampleEmbeddings(rows: number, dim: number, seed: number, withCounts: boolean): Embeddings {
  const rng = new Rng(seed);
  const words = WORDS.slice(0, rows);
  const v = new Float32Array(rows * dim);
  for (let i = 0; i < v.length; i++) v[i] = (rng.next() - 0.5) * (i % 7 === 0 ? 1000 : 2);
  return new Embeddings(words, v, dim, withCounts ? { counts: Float64Array.from(words, (_, i) => 100 - i) } : {});
}

function vectorSeeds(format: VectorFormat): Uint8Array[] {
  const out: Uint8Array[] = [];
  const shapes: [number, number][] = [
    [5, 3],
    [14, 4],
    [8, 1],
    [3, 17],
  ];
  shapes.forEach(([rows, dim], i) => {
    const e = sampleEmbeddings(rows, dim, 7 + i, i % 2 === 0);
    if (format === 'wasm2vec') {
      out.push(e.toBytes({ format, dtype: i % 2 ? 'float16' : 'float32' }));
    } else {
      // glove/word2vec text cannot hold whitespace in words (all of WORDS qualify).
      out.push(e.toBytes({ format }));
    }
  });
  // Many rows, few dims: a mutated dim then claims a large matrix that the rows would "confirm".
  const many = Array.from({ length: 300 }, (_, i) => `w${i}`);
  const rng = new Rng(99);
  const tall = new Embeddings(
    many,
    Float32Array.from({ length: many.length * 2 }, () => rng.next() - 0.5),
    2,
    { counts: Float64Array.from(many, (_, i) => 1000 - i) },
  );
  out.push(format === 'wasm2vec' ? tall.toBytes({ format, dtype: 'float16' }) : tall.toBytes({ format }));
  const fixtures = join(repoRoot, 'test', 'fixtures', 'vectors', 'gensim-written');
  if (format === 'word2vec-text') out.push(new Uint8Array(readFileSync(join(fixtures, 'gensim-small.txt'))));
  if (format === 'word2vec-binary') out.push(new Uint8Array(readFileSync(join(fixtures, 'gensim-small.bin'))));
  if (format === 'glove') out.push(new Uint8Array(readFileSync(join(fixtures, 'gensim-small-noheader.txt'))));
  if (format === 'word2vec-text' || format === 'vec') {
    // Rows whose bytes after the word are exactly dim × 4 (one whole word2vec binary entry each): one
    // mutated byte ("0.2" -> "abc" or "0.2x") used to make detection read them as float32s (issue 13).
    for (const s of ['1 3\nking 0.1 0.2 0.3\n', '1 1\nking 0.5\n', '1 3\r\nking\t0.1\t0.2\t.3\r\n', '2 2\nking 1.5 .25\nqueen -1 2e-3\n']) out.push(utf8(s));
  }
  out.push(new Uint8Array(gzipSync(out[0])));
  return out;
}

function checkEmbeddings(e: Embeddings, format: VectorFormat): void {
  if (e.vectors.length !== e.size * e.dim) throw new Error(`silent wrong answer: ${e.size} words × ${e.dim} but ${e.vectors.length} floats`);
  checkFinite(e.vectors, 'vectors');
  const seen = new Set<string>();
  for (const w of e.words) {
    if (typeof w !== 'string' || w === '') throw new Error(`silent wrong answer: word ${JSON.stringify(w)}`);
    if (seen.has(w)) throw new Error(`silent wrong answer: duplicate word ${JSON.stringify(w)}`);
    // word2vec binary words end at a space only (gensim keeps other bytes, a leading '\n' is skipped).
    const separator = format === 'wasm2vec' ? /\n/ : format === 'word2vec-binary' ? /^\n| / : /[ \t\n]/;
    if (separator.test(w)) throw new Error(`silent wrong answer: word with a separator ${JSON.stringify(w)}`);
    seen.add(w);
  }
  if (e.size > 0 && e.indexOf(e.words[e.size - 1]) !== e.size - 1) throw new Error('silent wrong answer: index does not match words');
}

/** Recomputes the wasm2vec format's trailing FNV-1a checksum (over the preceding bytes as u32 words). */
export function fixWasm2VecChecksum(b: Uint8Array): Uint8Array {
  if (b.length < 36) return b;
  const out = b.slice();
  const words = Math.floor((out.length - 4) / 4);
  const view = new DataView(out.buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < words; i++) h = Math.imul(h ^ view.getUint32(i * 4, true), 0x01000193);
  view.setUint32(out.length - 4, h >>> 0, true);
  return out;
}

export function vectorTarget(format: VectorFormat): FuzzTarget {
  let queried = 0;
  return {
    fixup: format === 'wasm2vec' ? { share: 0.6, fn: fixWasm2VecChecksum } : undefined,
    // Reading 10 MB takes well under a second; seconds mean something quadratic (a long line in
    // small gunzipped chunks once took 10 s).
    hugeTimeLimitMs: 5000,
    name: `vectors:${format}`,
    kind: format === 'word2vec-binary' || format === 'wasm2vec' ? 'binary' : 'text',
    seeds: () => vectorSeeds(format),
    run: async (bytes, rng) => {
      const variant = rng.int(10);
      // Sizes known up front (buffer, Blob) take the checked preallocation path; a stream (size
      // unknown) takes the growing path; a third of the cases let detection pick the format.
      const source = variant < 4 ? bytes : variant < 5 ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : iterate(randomChunks(bytes, rng));
      const options = rng.chance(0.3) ? {} : { format };
      const limit = rng.chance(0.15) ? { limit: rng.int(6) } : {};
      // loadVectors is Embeddings.load plus the format it detected (the word rules differ by format).
      const v = await loadVectors(source, { ...options, ...limit });
      const e = new Embeddings(v.words, v.vectors, v.dim, { counts: v.counts, index: v.index });
      checkEmbeddings(e, v.format);
      if (v.counts) checkFinite(v.counts, 'counts');
      // Queries on what was read run in WebAssembly: they must not trap either.
      if (e.size > 1 && queried++ % 8 === 0) {
        const top = e.mostSimilar({ positive: [e.words[0]], topN: 3 });
        for (const t of top) if (!Number.isFinite(t.score) || !e.has(t.word)) throw new Error(`silent wrong answer: ${JSON.stringify(t)}`);
        e.dispose();
      }
    },
  };
}

// ---- fastText .bin / .ftz ------------------------------------------------------------------------

/** Header fields a fastText file's counts and shapes live in: the args (bytes 8..56) and the dictionary header (56..84). */
const FASTTEXT_INT32_FIELDS = [8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64];
const FASTTEXT_VALUES = [0, 1, -1, 2, 3, 7, 100, 101, 255, 256, 65536, 1_000_000, 2_000_000, 0x3fffffff, 0x7fffffff, -0x80000000];

/** Sets one header int32 (args, dictionary counts) or an int64 matrix shape field to an edge value. */
const fastTextHeaderMutator: Mutator = (b, { rng }) => {
  if (b.length < 84) return b;
  const out = b.slice();
  const v = new DataView(out.buffer);
  if (rng.chance(0.8)) v.setInt32(rng.pick(FASTTEXT_INT32_FIELDS), rng.pick(FASTTEXT_VALUES), true);
  else v.setInt32(68 + 4 * rng.int(4), rng.pick(FASTTEXT_VALUES), true); // ntokens, pruneidx_size
  return out;
};

/**
 * fastText model files (.bin: skip-gram, CBOW, gensim's writer, supervised; .ftz: quantized and
 * pruned): FastText.load (float32 or float16, from bytes, a Blob or a stream of random chunks), then
 * vectors and a sentence vector of in-vocabulary and OOV words, and for supervised models a budget of
 * LinearClassifier loads with predictions.
 */
export function fastTextTarget(format: 'bin' | 'ftz', predictions = 50): FuzzTarget {
  const files =
    format === 'bin' ? ['synthetic-skipgram.bin', 'synthetic-supervised.bin', 'supervised-ova.bin', 'gensim.bin'] : ['supervised.ftz', 'firstword-hs.ftz'];
  let predicted = 0;
  const quiet = { onWarning: () => undefined };
  return {
    name: `model:fasttext-${format}`,
    kind: 'binary',
    mutators: { header: fastTextHeaderMutator },
    seeds: () => files.map((f) => new Uint8Array(readFileSync(join(repoRoot, 'test', 'fixtures', 'fasttext', f)))),
    run: async (bytes, rng) => {
      const variant = rng.int(10);
      const source = variant < 5 ? bytes : variant < 7 ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : iterate(randomChunks(bytes, rng));
      const ft = await FastText.load(source, { ...quiet, dtype: rng.chance(0.3) ? 'float16' : 'float32' });
      try {
        const e = ft.embeddings;
        checkFinite(e.vectors, 'word vectors');
        for (const w of ['the', 'king', 'unfathomably', '北京', e.words[e.size - 1] ?? 'a']) checkFinite(e.vector(w), `vector(${w})`);
        checkFinite(e.sentenceVector('the king said to the queen'), 'sentence vector');
        if (ft.args.model === 'supervised' && predicted < predictions) {
          predicted++;
          const clf = await LinearClassifier.load(bytes);
          try {
            const preds = await clf.predict(['the king said', '', 'a wasm2vecification of naïve 北京大学'], { k: 3 });
            // fastText reports exp of log(p + 1e-5) summed along the hs path: a certain label shows as up to 1 + depth · 1e-5.
            for (const p of preds)
              for (const l of p) if (!(l.probability >= 0 && l.probability <= 1.001)) throw new Error(`silent wrong answer: probability ${l.probability}`);
          } finally {
            clf.dispose();
          }
        }
      } finally {
        ft.dispose();
      }
    },
  };
}

// ---- classifiers ----------------------------------------------------------------------------------

const TEXTS = ['good movie great fun', 'bad movie awful plot', 'great fun good acting', 'awful bad boring plot', '好 电影 很 好', '糟糕 的 电影'];

/** LinearClassifier model files: small real models of each loss, tf-idf and n-grams. */
export function linearTarget(fullLoads: number): FuzzTarget {
  let loads = 0;
  return {
    name: 'model:linear',
    kind: 'binary',
    mutators: { jsonHeader: jsonHeaderMutator(8) },
    seeds: async () => {
      const configs = [
        { dim: 4, epochs: 1, threads: 1, wordNgrams: 2, buckets: 64 },
        { dim: 3, epochs: 1, threads: 1, loss: 'hs' as const },
        { dim: 5, epochs: 1, threads: 1, loss: 'ns' as const, negative: 2, weighting: 'tfidf' as const },
        { dim: 2, epochs: 1, threads: 1, loss: 'ova' as const, tokenizer: 'whitespace' as const },
      ];
      const out: Uint8Array[] = [];
      for (const [i, c] of configs.entries()) {
        const clf = new LinearClassifier(c);
        const labels = i === 3 ? TEXTS.map((_, k) => (k % 3 === 0 ? ['a', 'b'] : ['c'])) : TEXTS.map((_, k) => (i === 1 ? k % 3 : k % 2 ? 'pos' : '__proto__'));
        await clf.fit(TEXTS, labels);
        out.push(await clf.toBytes());
        clf.dispose();
      }
      return out;
    },
    run: async (bytes) => {
      const data = decodeLinearModel(bytes, 'fuzz');
      checkFinite(data.input, 'input');
      checkFinite(data.output, 'output');
      // Loading starts WebAssembly workers (~40 ms): a budget of full loads, then predictions.
      if (loads >= fullLoads) return;
      loads++;
      const clf = await LinearClassifier.load(bytes, { threads: 1, tokenizer: data.header.tokenizer === 'custom' ? whitespaceTokenizer : undefined });
      try {
        const preds = await clf.predict(['good movie', '', '好 电影 boring', 'unknown words only'], { k: 2 });
        for (const p of preds)
          for (const l of p) if (!(l.probability >= 0 && l.probability <= 1)) throw new Error(`silent wrong answer: probability ${l.probability}`);
      } finally {
        clf.dispose();
      }
    },
    allocationBound: (n) => 80 * 1024 * 1024 + 16 * n,
  };
}

/** TextClassifier model files: an untrained id-input model and a trained text model with a vocabulary. */
export function textClassifierTarget(fullLoads: number): FuzzTarget {
  let loads = 0;
  return {
    name: 'model:text-classifier',
    kind: 'binary',
    mutators: { jsonHeader: jsonHeaderMutator(4) },
    seeds: async () => {
      const small = { vocabSize: 40, sequenceLength: 6, embeddingDim: 3, lstm: [{ units: 2 }], threads: 1 };
      const a = new TextClassifier(small);
      const ids = await a.toBytes();
      a.dispose();
      const b = new TextClassifier({ ...small, classes: 3, lstm: [{ units: 2, returnSequences: true }, { units: 3 }] });
      await b.fit(
        TEXTS,
        TEXTS.map((_, i) => i % 3),
        { epochs: 1, batchSize: 4 },
      );
      const texts = await b.toBytes();
      b.dispose();
      return [ids, texts];
    },
    run: async (bytes) => {
      // Loading is pure (weights wait until first use); predicting starts the engine.
      const clf = await TextClassifier.load(bytes, { threads: 1 });
      try {
        if (loads >= fullLoads) return;
        loads++;
        const input = clf.vocabulary ? ['good movie', 'x', '好 电影'] : [[2, 3, 4], [0], [39, 1, 0]];
        const p = await clf.predict(input);
        const flat = Array.isArray(p) ? p.flatMap((x) => Array.from(x)) : Array.from(p);
        for (const x of flat) if (!(x >= 0 && x <= 1)) throw new Error(`silent wrong answer: probability ${x}`);
      } finally {
        clf.dispose();
      }
    },
    allocationBound: (n) => 80 * 1024 * 1024 + 16 * n,
  };
}

/** The header parser alone, without loading (cheap, so it gets the bulk of the cases). */
export function textClassifierHeaderTarget(): FuzzTarget {
  const full = textClassifierTarget(0);
  return {
    ...full,
    name: 'model:text-classifier-decode',
    run: async (bytes) => {
      decodeClassifierFile(bytes, 'fuzz');
    },
  };
}

export function vocabularyTarget(): FuzzTarget {
  return {
    name: 'json:vocabulary',
    kind: 'text',
    mutators: { json: jsonMutator },
    seeds: () => [
      utf8(
        JSON.stringify(
          Vocabulary.fromCounts(
            new Map([
              ['the', 9],
              ['__proto__', 5],
              ['constructor', 3],
              ['王', 2],
            ]),
            { minCount: 1 },
          ).toJSON(),
        ),
      ),
      utf8('{"words":["a","b"],"counts":[2,1],"__proto__":{"polluted":1}}'),
    ],
    run: async (bytes) => {
      const v = Vocabulary.fromJSON(lenient.decode(bytes));
      for (let i = 0; i < v.size; i++) if (v.id(v.words[i]) !== i) throw new Error('silent wrong answer: vocabulary index');
      if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('prototype pollution');
    },
  };
}

/**
 * Word2Vec checkpoint files: decoded (all checks up to the weights), and for a budget of them a real
 * resume, which must end in a model or a typed error.
 */
export function checkpointTarget(resumes = 10): FuzzTarget {
  const corpus = readFileSync(demoCorpusPath, 'utf8').slice(0, 20000);
  let done = 0;
  return {
    name: 'model:word2vec-checkpoint',
    kind: 'binary',
    mutators: { jsonHeader: jsonHeaderMutator(8) },
    fixup: { share: 0.6, fn: fixWasm2VecChecksum },
    seeds: async () => {
      const out: Uint8Array[] = [];
      for (const options of [
        { dim: 4, epochs: 2 },
        { dim: 3, epochs: 2, hs: true, model: 'cbow' as const },
        { dim: 2, epochs: 3, threads: 2 },
      ]) {
        const m = await Word2Vec.train(corpus, {
          minCount: 5,
          threads: 1,
          ...options,
          checkpoint: (c) => {
            if (c.epoch === 1) out.push(c.bytes);
          },
        });
        m.dispose();
      }
      return out;
    },
    run: async (bytes) => {
      const c = decodeCheckpoint(bytes, 'fuzz');
      for (const m of c.matrices.values()) checkFinite(new Float32Array(m.slice().buffer), 'weights');
      if (done >= resumes) return;
      done++;
      // A mutated header may ask for many epochs: cap the run, the abort returns the model so far.
      const m = await Word2Vec.train(corpus, { resumeFrom: bytes, threads: 1, signal: AbortSignal.timeout(2000) });
      try {
        checkFinite(m.embeddings.vectors, 'resumed vectors');
      } finally {
        m.dispose();
      }
    },
  };
}

/** GloVe and TextClassifier checkpoints: the container plus each trainer's state checks. */
export function gloveCheckpointTarget(): FuzzTarget {
  const corpus = readFileSync(demoCorpusPath, 'utf8').slice(0, 20000);
  return {
    name: 'model:glove-checkpoint',
    kind: 'binary',
    mutators: { jsonHeader: jsonHeaderMutator(8) },
    fixup: { share: 0.6, fn: fixWasm2VecChecksum },
    seeds: async () => {
      const out: Uint8Array[] = [];
      const m = await GloVe.train(corpus, {
        dim: 3,
        epochs: 2,
        threads: 1,
        minCount: 3,
        checkpoint: (c) => {
          out.push(c.bytes);
        },
      });
      m.dispose();
      return out;
    },
    run: async (bytes) => {
      const c = decodeGloveCheckpoint(bytes, 'fuzz');
      checkFinite(new Float32Array(c.params.slice().buffer), 'params');
    },
  };
}

export function classifierCheckpointTarget(): FuzzTarget {
  return {
    name: 'model:text-classifier-checkpoint',
    kind: 'binary',
    mutators: { jsonHeader: jsonHeaderMutator(8) },
    fixup: { share: 0.6, fn: fixWasm2VecChecksum },
    seeds: async () => {
      const out: Uint8Array[] = [];
      const c = new TextClassifier({ vocabSize: 40, sequenceLength: 6, embeddingDim: 3, lstm: [{ units: 2 }], threads: 1 });
      await c.fit(
        TEXTS,
        TEXTS.map((_, i) => i % 2),
        {
          epochs: 2,
          batchSize: 4,
          checkpoint: (k) => {
            out.push(k.bytes);
          },
        },
      );
      c.dispose();
      return out;
    },
    run: async (bytes) => {
      const c = decodeClassifierCheckpoint(bytes, 'fuzz');
      for (const s of c.state) checkFinite(s, 'state');
    },
  };
}

/**
 * LinearClassifier checkpoints: decoded (all checks up to the weights), and for a budget of them a real
 * resumed fit on the seeds' texts, which must end in a model with probabilities in [0, 1] or a typed error.
 */
export function linearCheckpointTarget(resumes = 10): FuzzTarget {
  const classes = TEXTS.map((_, k) => `c${k % 3}`);
  const multi = TEXTS.map((_, k) => (k % 3 === 0 ? ['a', 'b'] : ['c']));
  let done = 0;
  return {
    name: 'model:linear-checkpoint',
    kind: 'binary',
    mutators: { jsonHeader: jsonHeaderMutator(8) },
    fixup: { share: 0.6, fn: fixWasm2VecChecksum },
    seeds: async () => {
      const configs: [ConstructorParameters<typeof LinearClassifier>[0], typeof classes | typeof multi][] = [
        [{ dim: 4, epochs: 3, threads: 1, wordNgrams: 2, buckets: 64, loss: 'ns', negative: 2 }, classes],
        [{ dim: 3, epochs: 2, threads: 1, loss: 'hs', weighting: 'tfidf' }, classes],
        [{ dim: 2, epochs: 2, threads: 1, tokenizer: 'whitespace' }, multi],
        [{ dim: 3, epochs: 3, threads: 2 }, classes],
      ];
      const out: Uint8Array[] = [];
      for (const [options, labels] of configs) {
        const c = new LinearClassifier(options);
        await c.fit(TEXTS, labels, {
          checkpoint: (k) => {
            if (k.epoch === 1) out.push(k.bytes);
          },
        });
        c.dispose();
      }
      return out;
    },
    run: async (bytes) => {
      const c = decodeLinearCheckpoint(bytes, 'fuzz');
      checkFinite(c.input, 'input');
      checkFinite(c.output, 'output');
      if (done >= resumes) return;
      done++;
      const { tokenizer, ...options } = c.options;
      const clf = new LinearClassifier({ ...options, threads: 1, tokenizer: tokenizer === 'custom' ? whitespaceTokenizer : tokenizer });
      try {
        // A mutated header may ask for many epochs: cap the run (an abort is a typed error).
        await clf.fit(TEXTS, c.labels.multiLabel ? multi : classes, { resumeFrom: bytes, signal: AbortSignal.timeout(2000) });
        const preds = await clf.predict(['good movie', '', '好 电影 boring'], { k: 2 });
        for (const p of preds)
          for (const l of p) if (!(l.probability >= 0 && l.probability <= 1)) throw new Error(`silent wrong answer: probability ${l.probability}`);
      } finally {
        clf.dispose();
      }
    },
    allocationBound: (n) => 80 * 1024 * 1024 + 16 * n,
  };
}

// ---- evaluation files -----------------------------------------------------------------------------

function headLines(path: string, lines: number): Uint8Array {
  return utf8(readFileSync(path, 'utf8').split('\n').slice(0, lines).join('\n') + '\n');
}

/** Small vectors knowing the words of the evaluation seeds, so evaluations have something to score. */
function evalEmbeddings(seeds: Uint8Array[]): Embeddings {
  const words = new Set<string>();
  for (const s of seeds) for (const w of lenient.decode(s).split(/\s+/)) if (w && !/^[\d.:]+$/.test(w)) words.add(w.toLowerCase());
  const list = [...words].slice(0, 400);
  const rng = new Rng(5);
  return new Embeddings(
    list,
    Float32Array.from({ length: list.length * 8 }, () => rng.next() - 0.5),
    8,
  );
}

/**
 * `seeds: 'repo'` (CI's npm test) starts from a pairs file written for the fuzzer (English and Chinese
 * words, the WordSim layout); `'shared'` (the data suite, and the nightly run where the data is) from the
 * heads of WordSim-353 and WordSim-240, which cannot ship.
 */
export function pairsTarget(seedSource: 'repo' | 'shared' = 'repo'): FuzzTarget {
  const seeds = [
    ...(seedSource === 'shared'
      ? [headLines(sharedData('en-wordsim353/EN-WS-353-ALL.txt'), 40), headLines(sharedData('zh-wordsim-240-297/wordsim-240.txt'), 30)]
      : [headLines(join(repoRoot, 'test', 'fixtures', 'eval', 'pairs-seed.txt'), 40)]),
    utf8('# comment\nking\tqueen\t8.5\ncat\tdog\tnan\nx\ty\t1_000\n'),
  ];
  let emb: Embeddings | null = null;
  return {
    name: 'eval:word-pairs',
    kind: 'text',
    seeds: () => seeds,
    run: async (bytes, rng) => {
      emb ??= evalEmbeddings(seeds);
      const { pairs } = parseWordPairs(lenient.decode(bytes), rng.chance(0.2) ? { delimiter: rng.pick([' ', ',', '\t']) } : {});
      const r = await emb.evaluateWordPairs(pairs, { caseInsensitive: rng.chance(0.7), dummy4unknown: rng.chance(0.3) });
      // NaN is what gensim/scipy report for undefined correlations (constant or NaN scores); anything else must be in range.
      for (const [k, x, max] of [
        ['pearson', r.pearson, 1],
        ['spearman', r.spearman, 1],
        ['oovRatio', r.oovRatio, 100],
      ] as const) {
        if (!Number.isNaN(x) && !(Math.abs(x) <= max + 1e-9)) throw new Error(`silent wrong answer: ${k} = ${x}`);
      }
    },
    cleanup: () => {
      emb?.dispose();
      emb = null;
    },
  };
}

export function analogiesTarget(): FuzzTarget {
  const seeds = [
    headLines(repoData('en-google-analogy/questions-words.txt'), 40),
    utf8(': capital\nathens greece baghdad iraq\n: gram\nking queen man woman\nKing Queen Man\n'),
  ];
  let emb: Embeddings | null = null;
  return {
    name: 'eval:analogies',
    kind: 'text',
    seeds: () => seeds,
    run: async (bytes, rng) => {
      emb ??= evalEmbeddings(seeds);
      const { sections } = parseAnalogies(lenient.decode(bytes), 'fuzz');
      const r = await emb.evaluateAnalogies(sections, { restrictVocab: rng.chance(0.5) ? 300 : 5, threads: 1, dummy4unknown: rng.chance(0.3) });
      if (!(r.accuracy >= 0 && r.accuracy <= 1)) throw new Error(`silent wrong answer: accuracy ${r.accuracy}`);
    },
    cleanup: () => {
      emb?.dispose();
      emb = null;
    },
  };
}

// ---- corpus decoding ------------------------------------------------------------------------------

let tempDir: string | null = null;
function scratchFile(name: string, bytes: Uint8Array): string {
  tempDir ??= mkdtempSync(join(tmpdir(), 'wasm2vec-fuzz-'));
  const p = join(tempDir, name);
  writeFileSync(p, bytes);
  return p;
}
export function removeScratch(): void {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = null;
}

/** bytes → pieces (UTF-8 decoding, lines) → tokens → vocabulary → id chunks, from a stream, a Node stream or a file. */
export function corpusTarget(): FuzzTarget {
  const defaultTokenizer = createTokenizer();
  let files = 0;
  return {
    name: 'corpus:decode',
    kind: 'text',
    seeds: () => {
      const en = readFileSync(demoCorpusPath).subarray(0, 3000);
      const zh = new Uint8Array(readFileSync(repoData('zh-tatoeba-cmn-head/cmn_en_zh_pairs.tsv'))).subarray(0, 3000);
      const mixed = utf8("Der König’s café — 我爱北京天安门。 ไทย ภาษา\r\nline two\r\n\r\n  spaced   out  \ttabs\n1998年 don't stop\u2028next");
      return [new Uint8Array(en), zh, mixed, utf8('a\n'), new Uint8Array(gzipSync(en))];
    },
    run: async (bytes, rng) => {
      const tokenizer = rng.chance(0.3) ? whitespaceTokenizer : defaultTokenizer;
      const gz = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
      const variant = gz || rng.chance(0.05) ? 'path' : rng.pick(['web', 'node', 'iterable'] as const);
      const chunks = randomChunks(bytes, rng);
      const corpus =
        variant === 'path'
          ? { path: scratchFile(`c${files++ % 4}${gz ? '.txt.gz' : '.txt'}`, bytes) }
          : variant === 'web'
            ? new ReadableStream<Uint8Array>({
                start(c) {
                  for (const x of chunks) c.enqueue(x);
                  c.close();
                },
              })
            : variant === 'node'
              ? Readable.from(chunks, { objectMode: false })
              : chunks.map((c) => lenient.decode(c)); // documents: each chunk a separate text
      const scanned = await scanCorpus(corpus, { tokenizer });
      try {
        const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 1 });
        let total = 0;
        for (const n of scanned.counts.values()) total += n;
        if (total !== scanned.rawTokens) throw new Error(`silent wrong answer: counts sum ${total} != rawTokens ${scanned.rawTokens}`);
        const stream = scanned.encode(vocab, { maxSentenceLength: 1 + rng.int(50), chunkTokens: 1 + rng.int(100) });
        let words = 0;
        for await (const chunk of stream.chunks()) {
          let prevSep = true;
          for (const id of chunk) {
            if (id === -1) {
              if (prevSep) throw new Error('silent wrong answer: empty sentence');
              prevSep = true;
              continue;
            }
            if (!(id >= 0 && id < vocab.size)) throw new Error(`silent wrong answer: id ${id} outside the vocabulary of ${vocab.size}`);
            prevSep = false;
            words++;
          }
          if (!prevSep) throw new Error('silent wrong answer: chunk does not end a sentence');
        }
        if (words !== stream.tokens) throw new Error(`silent wrong answer: ${words} ids but tokens = ${stream.tokens}`);
        // Chunking invariance: the same bytes cut elsewhere give the same counts (byte sources only).
        if (variant === 'web' && rng.chance(0.2)) {
          const again = await scanCorpus(Readable.from(randomChunks(bytes, rng)), { tokenizer });
          const same = again.counts.size === scanned.counts.size && [...again.counts].every(([w, c]) => scanned.counts.get(w) === c);
          await again.dispose();
          if (!same) throw new Error('silent wrong answer: token counts depend on how the bytes were chunked');
        }
      } finally {
        await scanned.dispose();
      }
    },
    cleanup: () => removeScratch(),
  };
}

export { sampleEmbeddings };
