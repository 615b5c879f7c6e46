/**
 * Large-input check: generates a corpus (default 1 GiB, Zipf-distributed words on lines of varying
 * length) in .tmp/, streams it through Word2Vec from its path (1 epoch, small dim) and compares the
 * peak RSS with the model size. Bound: peak <= 1.5 × model + fixed buffer, where the fixed buffer is
 * the runtime before training (baseline RSS) + the in-memory token cache (4 bytes per token, at
 * most 512 MiB; the rest spills to a temp file) + 192 MiB (workers, vocabulary map, I/O buffers).
 * The 1.5 is the trained vectors: syn0 + syn1neg live in WebAssembly memory (1×) and the returned
 * Embeddings hold a copy of syn0 (0.5×).
 *
 *   npx tsx scripts/large-corpus.ts [--mb 1024] [--dim 50] [--threads 2] [--types 1000000] [--window 5] [--negative 5] [--keep] [--json]
 *
 * The corpus file is deleted afterwards unless --keep. Exits 1 when the bound is exceeded.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Word2Vec } from '../src/index.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const mb = Number(flag('mb', '1024'));
const dim = Number(flag('dim', '50'));
const threads = Number(flag('threads', '2'));
const types = Number(flag('types', '1000000'));
const window = Number(flag('window', '5'));
const negative = Number(flag('negative', '5'));
const keep = process.argv.includes('--keep');
const json = process.argv.includes('--json');
const log = (s: string) => {
  if (!json) console.log(s);
};

const MiB = 1024 * 1024;
const TOKEN_CACHE_BUDGET = 512 * MiB;
const SLACK = 192 * MiB;

function status(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

/** Word i of the synthetic lexicon: a pronounceable base-20 spelling, distinct for every i. */
function spell(i: number): string {
  const c = 'bcdfghjklmnprstvwxyz',
    v = 'aeiou';
  let s = '';
  let n = i + 1;
  while (n > 0) {
    s += c[n % 20] + v[Math.floor(n / 20) % 5];
    n = Math.floor(n / 100);
  }
  return s;
}

/** Writes `bytes` of Zipf(1.05)-distributed words over `types` word types, 4-200 words per line. */
async function generate(path: string, bytes: number): Promise<void> {
  const words = Array.from({ length: types }, (_, i) => Buffer.from(spell(i)));
  const cum = new Float64Array(types);
  let total = 0;
  for (let i = 0; i < types; i++) cum[i] = total += 1 / (i + 1) ** 1.05;
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const out = createWriteStream(path);
  let written = 0;
  let lineLeft = 0;
  while (written < bytes) {
    // A fresh buffer per write: the stream may still hold the previous one.
    const buf = Buffer.allocUnsafe(8 * MiB);
    let o = 0;
    while (o < buf.length - 64 && written + o < bytes) {
      const target = rand() * total;
      let lo = 0,
        hi = types - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cum[mid] < target) lo = mid + 1;
        else hi = mid;
      }
      o += words[lo].copy(buf, o);
      if (lineLeft-- <= 0) {
        buf[o++] = 0x0a;
        lineLeft = 4 + Math.floor(rand() * 196);
      } else buf[o++] = 0x20;
    }
    written += o;
    if (!out.write(buf.subarray(0, o))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

const dir = join(process.cwd(), '.tmp');
mkdirSync(dir, { recursive: true });
const path = join(dir, `large-corpus-${mb}mb.txt`);
const t0 = performance.now();
if (!existsSync(path) || statSync(path).size < mb * MiB) {
  log(`generating ${mb} MiB of Zipf text (${types.toLocaleString('en-US')} word types) in ${path} …`);
  await generate(path, mb * MiB);
}
const genSeconds = (performance.now() - t0) / 1000;
try {
  // Start the measurement from here: reset the peak (Linux) so generation does not count.
  global.gc?.();
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* not Linux: the sampled peak below still works */
  }
  const baseline = status('VmRSS');
  let sampled = baseline;
  // Which phase the sampled peak fell in: scanning (before the first progress report), training, or the end.
  let phase = 'scanning';
  let peakPhase = phase;
  const timer = setInterval(() => {
    const rss = status('VmRSS');
    if (rss > sampled) {
      sampled = rss;
      peakPhase = phase;
    }
  }, 50);
  const t1 = performance.now();
  let lastLog = 0;
  const model = await Word2Vec.train(
    { path },
    {
      dim,
      epochs: 1,
      threads,
      minCount: 5,
      window,
      negative,
      onProgress: (p) => {
        phase = p.progress >= 1 ? 'copying the vectors out' : 'training';
        if (performance.now() - lastLog < 10_000) return;
        lastLog = performance.now();
        const m = process.memoryUsage();
        log(
          `  ${(p.progress * 100).toFixed(1)} %, ${Math.round(p.wordsPerSecond).toLocaleString('en-US')} words/s, RSS ${(status('VmRSS') / MiB).toFixed(0)} MiB ` +
            `(JS heap ${(m.heapTotal / MiB).toFixed(0)} MiB, array buffers ${(m.arrayBuffers / MiB).toFixed(0)} MiB)`,
        );
      },
    },
  );
  clearInterval(timer);
  const seconds = (performance.now() - t1) / 1000;
  const peak = Math.max(sampled, status('VmHWM'), status('VmRSS'));
  const matrices = 1 + (model.options.negative > 0 ? 1 : 0) + (model.options.hs ? 1 : 0);
  const modelBytes = model.vocabulary.size * dim * 4 * matrices;
  const tokenCache = Math.min(TOKEN_CACHE_BUDGET, model.stats.rawTokens * 4);
  const fixed = baseline + tokenCache + SLACK;
  const bound = 1.5 * modelBytes + fixed;
  const report = {
    corpusMiB: mb,
    generateSeconds: +genSeconds.toFixed(1),
    trainSeconds: +seconds.toFixed(1),
    scanSeconds: +model.stats.scanSeconds.toFixed(1),
    rawTokens: model.stats.rawTokens,
    vocabulary: model.vocabulary.size,
    dim,
    threads: model.stats.threads,
    modelMiB: +(modelBytes / MiB).toFixed(1),
    baselineMiB: +(baseline / MiB).toFixed(1),
    tokenCacheMiB: +(tokenCache / MiB).toFixed(1),
    peakRssMiB: +(peak / MiB).toFixed(1),
    boundMiB: +(bound / MiB).toFixed(1),
    peakOverModel: +((peak - baseline - tokenCache) / modelBytes).toFixed(2),
    withinBound: peak <= bound,
    peakPhase,
  };
  model.dispose();
  if (json) console.log(JSON.stringify(report));
  else {
    console.log(
      `corpus ${mb} MiB: ${report.rawTokens.toLocaleString('en-US')} tokens, vocabulary ${report.vocabulary.toLocaleString('en-US')}, dim ${dim}, ` +
        `${report.threads} threads; scan ${report.scanSeconds} s, training ${report.trainSeconds} s (generation ${report.generateSeconds} s)`,
    );
    console.log(
      `model ${report.modelMiB} MiB; baseline RSS ${report.baselineMiB} MiB; token cache ${report.tokenCacheMiB} MiB; ` +
        `peak RSS ${report.peakRssMiB} MiB (while ${report.peakPhase}); bound 1.5 × model + fixed = ${report.boundMiB} MiB -> ${report.withinBound ? 'within' : 'EXCEEDED'}`,
    );
  }
  if (!report.withinBound) process.exitCode = 1;
} finally {
  if (!keep) rmSync(path, { force: true });
}
