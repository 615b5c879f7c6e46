/**
 * Start-up cost of the built package (dist/, what `npm pack` ships), each sample in a fresh Node process:
 * `import('wasm2vec')`, then the first WebAssembly instance (the search kernel, compiled and instantiated
 * on the first query), then the first training call on a tiny corpus (one worker thread started, the
 * Word2Vec kernel compiled and instantiated in it). Also `require('wasm2vec')` and, as a reference, the
 * import of TensorFlow.js (@tensorflow/tfjs) when installed. Rounds are interleaved; medians reported.
 *   npx tsx bench/startup.bench.ts            (STARTUP_BENCH_REPS=15 to change the rounds)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchReport, type Row, machine, median, isMain, printReport } from './harness.js';

const REPS = Number(process.env.STARTUP_BENCH_REPS ?? 15);
const dist = resolve('dist/index.js');

/** Probe scripts print one JSON line of milliseconds (wall) and CPU milliseconds since the probe started. */
const probes: Record<string, string> = {
  esm: `
    const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
    const c0 = cpu(), t0 = performance.now();
    const { Embeddings, Word2Vec } = await import(${JSON.stringify(pathToFileURL(dist).href)});
    const t1 = performance.now(), c1 = cpu();
    new Embeddings(['a', 'b', 'c'], new Float32Array([1, 0, 0, 1, 0.6, 0.8]), 2).mostSimilar({ positive: ['a'], topN: 1 });
    const t2 = performance.now(), c2 = cpu();
    const text = Array.from({ length: 200 }, (_, i) => 'the king and the queen rode to the castle in the forest ' + (i % 7)).join('\\n');
    const m = await Word2Vec.train(text, { dim: 16, epochs: 1, minCount: 1, threads: 1 });
    const t3 = performance.now(), c3 = cpu();
    m.dispose();
    console.log(JSON.stringify({ import: t1 - t0, importCpu: c1 - c0, instance: t2 - t0, instanceCpu: c2 - c0, train: t3 - t0, trainCpu: c3 - c0 }));
  `,
  cjs: `
    const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
    const c0 = cpu(), t0 = performance.now();
    require(${JSON.stringify(dist)});
    console.log(JSON.stringify({ require: performance.now() - t0, requireCpu: cpu() - c0 }));
  `,
  tfjs: `
    const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
    const c0 = cpu(), t0 = performance.now();
    const tf = await import('@tensorflow/tfjs');
    await tf.ready();
    console.log(JSON.stringify({ tfjs: performance.now() - t0, tfjsCpu: cpu() - c0 }));
  `,
};

export async function run(): Promise<BenchReport> {
  if (!existsSync(dist)) throw new Error('dist/index.js is missing: build the package first (npm run build; npm ci does it)');
  const dir = resolve('.tmp/bench/startup');
  mkdirSync(dir, { recursive: true });
  const files = {
    esm: join(dir, 'esm.mjs'),
    cjs: join(dir, 'cjs.cjs'),
    // Resolved from the repo's node_modules, so the probe sits where bare specifiers resolve.
    tfjs: resolve('.tmp/bench/startup-tfjs.mjs'),
  };
  for (const [k, f] of Object.entries(files)) writeFileSync(f, probes[k]);
  const haveTfjs = existsSync(resolve('node_modules/@tensorflow/tfjs/package.json'));
  const samples: Record<string, number[]> = {};
  const probe = (file: string) => {
    const out = execFileSync(process.execPath, ['--no-warnings', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    for (const [k, v] of Object.entries(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>)) (samples[k] ??= []).push(v);
  };
  for (let rep = 0; rep < REPS; rep++) {
    probe(files.esm);
    probe(files.cjs);
    if (haveTfjs && rep < Math.min(REPS, 5)) probe(files.tfjs);
  }
  const row = (what: string, key: string): Row => ({
    step: what,
    'wall ms (median)': Number(median(samples[key]).toFixed(1)),
    'CPU ms (median)': Number(median(samples[`${key}Cpu`]).toFixed(1)),
    'wall ms (min)': Number(Math.min(...samples[key]).toFixed(1)),
    samples: samples[key].length,
  });
  const rows = [
    row("import('wasm2vec')", 'import'),
    row('… + first WebAssembly instance (search kernel, main thread)', 'instance'),
    row('… + first Word2Vec.train (1 worker started, kernel compiled; 2.4k tokens)', 'train'),
    row("require('wasm2vec') (Node ≥ 20.19 require(esm))", 'require'),
  ];
  const notes = [
    'Times from the start of the import in a fresh `node` process (Node start-up itself excluded); cumulative down the first three rows.',
    'Target: import + first instance < 50 ms.',
  ];
  if (haveTfjs) rows.push(row("import('@tensorflow/tfjs') + tf.ready() (reference)", 'tfjs'));
  else notes.push('@tensorflow/tfjs not installed: reference row skipped');
  notes.push(`machine: ${JSON.stringify(machine())}`);
  return { title: 'Start-up: import and first instance of the built package', command: 'npx tsx bench/startup.bench.ts', rows, notes };
}

if (isMain(import.meta.url)) printReport(await run());
