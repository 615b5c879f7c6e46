/**
 * Before/after of a refactor: the same jobs imported from two checkouts of this repository and interleaved
 * in one process, so both see the same machine load. Word2Vec (train tokens/s, 1 and 2 threads, and a hash
 * of the 1-thread vectors, which must match when numerics are unchanged), then CPU-seconds of GloVe,
 * LinearClassifier and TextClassifier jobs.
 *
 *   git worktree add /tmp/before <rev> && (cd /tmp/before && ln -s "$PWD/node_modules" . && node scripts/build-wasm.mjs)
 *   npx tsx bench/compare-trees.ts /tmp/before . [rounds]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

const [beforeDir, afterDir, roundsArg] = process.argv.slice(2);
if (!beforeDir || !afterDir) throw new Error('usage: npx tsx bench/compare-trees.ts <before checkout> <after checkout> [rounds]');
const rounds = Number(roundsArg ?? 3);
const repo = resolve(import.meta.dirname, '..');
const corpus = gunzipSync(readFileSync(`${repo}/data/en-corpus-gutenberg-head/corpus.text8.gz`)).toString('latin1');
const w2vText = corpus.slice(0, 8_000_000);
const gloveText = corpus.slice(0, 4_000_000);
const mr = readFileSync(`${repo}/data/en-mr-polarity/mr.tsv`, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));
const rows = mr.filter((r) => r[1] !== '0');
const texts = rows.map((r) => r[2]);
const labels = rows.map((r) => Number(r[0]));
type Side = 'before' | 'after';
// any: two checkouts of the package, possibly with different type declarations
const libs: Record<Side, any> = { before: await import(`${resolve(beforeDir)}/src/index.ts`), after: await import(`${resolve(afterDir)}/src/index.ts`) };
const cpu = async (f: () => Promise<unknown>) => {
  const c0 = process.cpuUsage();
  await f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const out: Record<string, number[]> = {};
const hashes: Record<string, Set<string>> = {};
const push = (k: string, v: number) => {
  out[k] ??= [];
  out[k].push(v);
};
for (let r = 0; r < rounds; r++) {
  for (const side of (r % 2 ? ['after', 'before'] : ['before', 'after']) as Side[]) {
    const L = libs[side];
    for (const threads of [1, 2]) {
      const m = await L.Word2Vec.train(w2vText, { threads, epochs: 1, seed: 1 });
      const f = new Uint32Array(m.embeddings.vectors.buffer, m.embeddings.vectors.byteOffset, m.embeddings.vectors.length);
      let h = 0;
      for (let i = 0; i < f.length; i++) h = (Math.imul(h, 31) + f[i]) >>> 0;
      if (threads === 1) (hashes[side] ??= new Set()).add(h.toString(16));
      push(`word2vec ${threads}t tokens/s ${side}`, m.stats.tokensPerSecond);
      m.dispose();
    }
    push(`glove CPU-s ${side}`, await cpu(async () => (await L.GloVe.train(gloveText, { threads: 1, epochs: 5, dim: 50, seed: 1 })).dispose()));
    push(
      `linear CPU-s ${side}`,
      await cpu(async () => {
        const c = new L.LinearClassifier({ threads: 1, epochs: 5, wordNgrams: 2, seed: 1 });
        await c.fit(texts, labels);
        c.dispose();
      }),
    );
    push(
      `lstm CPU-s ${side}`,
      await cpu(async () => {
        const c = new L.TextClassifier({ vocabSize: 10000, sequenceLength: 40, embeddingDim: 32, lstm: [{ units: 64 }], threads: 1, seed: 1 });
        await c.fit(texts.slice(0, 3000), labels.slice(0, 3000), { epochs: 1, batchSize: 32 });
        c.dispose();
      }),
    );
  }
}
for (const k of ['word2vec 1t tokens/s', 'word2vec 2t tokens/s', 'glove CPU-s', 'linear CPU-s', 'lstm CPU-s']) {
  const b = out[`${k} before`];
  const a = out[`${k} after`];
  console.log(
    `${k}: before ${b.map((x) => +x.toPrecision(4)).join(' ')} | after ${a.map((x) => +x.toPrecision(4)).join(' ')} | after/before median ${(med(a) / med(b)).toFixed(3)}`,
  );
}
console.log(`1-thread Word2Vec vectors: before ${[...hashes.before].join('/')}, after ${[...hashes.after].join('/')}`);
