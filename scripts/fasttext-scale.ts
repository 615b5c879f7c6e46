/**
 * The cc.en.300.bin-shaped measurement of issue #16 point 6: writes a fastText 0.9.2 .bin of that
 * shape (2,000,000 words + 2,000,000 buckets, dim 300: a 4.8 GB float32 input matrix and a 2.4 GB
 * output matrix, 7.2 GB in all; random weights, made-up words), then measures in a fresh process:
 * the plain load (refused before allocating), the dtype 'float16' load (seconds, peak RSS), lookups
 * of in-vocabulary and out-of-vocabulary words, and a nearest-neighbour query.
 *
 *   npx tsx scripts/fasttext-scale.ts write /tmp/cc-shape.bin     # once (about 7.2 GB of disk)
 *   npx tsx scripts/fasttext-scale.ts measure /tmp/cc-shape.bin   # needs about 9 GB of free memory
 *
 * The file is a test artefact: do not commit it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { FastText } from '../src/train/fasttext/fasttext.js';
import { FASTTEXT_MAGIC, FASTTEXT_VERSION, argsBytes } from '../src/train/fasttext/args.js';
import { FastTextDictionary, dictionaryChunks } from '../src/train/fasttext/dictionary.js';

const WORDS = 2_000_000;
const BUCKET = 2_000_000;
const DIM = 300;

/** mulberry32 */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Distinct made-up words of 2..14 letters (mean about 8, as English types), most frequent first. */
function words(n: number): string[] {
  const r = rng(7);
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const seen = new Set<string>(['</s>']);
  const out = ['</s>'];
  while (out.length < n) {
    const len = 2 + Math.floor(r() * 7) + Math.floor(r() * 6);
    let w = '';
    for (let i = 0; i < len; i++) w += letters[Math.floor(letters.length * r() ** 2)];
    if (!seen.has(w)) {
      seen.add(w);
      out.push(w);
    }
  }
  return out;
}

function write(path: string): void {
  const list = words(WORDS);
  const counts = list.map((_, i) => Math.max(5, Math.round(1e9 / (i + 10))));
  const dictionary = new FastTextDictionary({ words: list, counts, nwords: WORDS, nlabels: 0, ntokens: 600_000_000_000 });
  const fd = openSync(path, 'w');
  const put = (b: Uint8Array) => {
    let o = 0;
    while (o < b.length) o += writeSync(fd, b, o);
  };
  const head = new Uint8Array(8);
  new DataView(head.buffer).setInt32(0, FASTTEXT_MAGIC, true);
  new DataView(head.buffer).setInt32(4, FASTTEXT_VERSION, true);
  put(head);
  put(
    argsBytes({
      dim: DIM,
      ws: 5,
      epoch: 5,
      minCount: 5,
      neg: 10,
      wordNgrams: 1,
      loss: 'ns',
      model: 'cbow',
      bucket: BUCKET,
      minn: 5,
      maxn: 5,
      lrUpdateRate: 100,
      t: 1e-4,
    }),
  );
  for (const c of dictionaryChunks(dictionary)) put(c);
  const r = rng(11);
  const matrix = (rows: number) => {
    const shape = new Uint8Array(16);
    new DataView(shape.buffer).setBigInt64(0, BigInt(rows), true);
    new DataView(shape.buffer).setBigInt64(8, BigInt(DIM), true);
    put(shape);
    const block = new Float32Array(DIM * 10_000);
    for (let done = 0; done < rows; done += 10_000) {
      const n = Math.min(10_000, rows - done) * DIM;
      for (let i = 0; i < n; i++) block[i] = (r() - 0.5) * 0.2;
      put(new Uint8Array(block.buffer, 0, n * 4));
    }
  };
  put(Uint8Array.of(0)); // quant flag
  matrix(WORDS + BUCKET);
  put(Uint8Array.of(0)); // qout
  matrix(WORDS);
  closeSync(fd);
}

async function measure(path: string): Promise<void> {
  const gb = (b: number) => `${(b / 1e9).toFixed(2)} GB`;
  const rss = () => process.resourceUsage().maxRSS * 1024;
  let t = performance.now();
  try {
    await FastText.load(path);
    console.log('float32 load: not refused (unexpected)');
  } catch (e) {
    console.log(`float32 load refused in ${((performance.now() - t) / 1000).toFixed(2)} s, peak RSS ${gb(rss())}: ${(e as Error).message}`);
  }
  t = performance.now();
  const ft = await FastText.load(path, { dtype: 'float16' });
  const loadSeconds = (performance.now() - t) / 1000;
  console.log(`float16 load: ${loadSeconds.toFixed(1)} s, peak RSS ${gb(rss())}, ${ft.embeddings.size.toLocaleString('en-US')} words × ${ft.embeddings.dim}`);
  const e = ft.embeddings;
  const oov = Array.from({ length: 2000 }, (_, i) => `wasm2vec${i}ification`);
  const inVocab = Array.from({ length: 2000 }, (_, i) => e.words[1 + ((i * 997) % (e.size - 1))]);
  for (const [what, list] of [
    ['OOV vector()', oov],
    ['in-vocabulary vector()', inVocab],
  ] as const) {
    list.slice(0, 50).forEach((w) => e.vector(w)); // warm up
    t = performance.now();
    for (const w of list) e.vector(w);
    console.log(`${what}: ${(((performance.now() - t) / list.length) * 1000).toFixed(1)} µs per word (${list.length} words)`);
  }
  t = performance.now();
  e.mostSimilar({ positive: oov[0], topN: 10 });
  console.log(
    `first mostSimilar (builds the float32 search index of the in-vocabulary words): ${((performance.now() - t) / 1000).toFixed(1)} s, peak RSS ${gb(rss())}`,
  );
  t = performance.now();
  for (let i = 1; i <= 20; i++) e.mostSimilar({ positive: oov[i], topN: 10 });
  console.log(`mostSimilar of an OOV word over 2M words: ${((performance.now() - t) / 20).toFixed(0)} ms per query`);
  ft.dispose();
}

const [cmd, path] = process.argv.slice(2);
if (cmd === 'write' && path) write(path);
else if (cmd === 'measure' && path) await measure(path);
else {
  console.error('usage: npx tsx scripts/fasttext-scale.ts write|measure <file.bin>');
  process.exit(2);
}
