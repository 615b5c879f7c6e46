/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports `run(): Promise<BenchReport>`) one after the
 * other in this process, then writes bench/results/latest.json (machine, per-bench status, time and
 * report) and bench/results/latest.md (the tables), and prints the markdown. A bench that throws, or has
 * no run(), is reported as failed and the others still run. Peers (fastText, gensim, TensorFlow.js) are
 * each bench's business: included when installed, skipped with a note when not.
 *
 *   npm run bench                       all benches
 *   BENCH_ONLY=word2vec,search npm run bench   only the files whose names contain one of these
 *   BENCH_STRICT=1                      exit with 1 when a bench failed or was skipped (default: 0 once the results are written)
 *   BENCH_BUDGET_SECONDS=540            benches not started by then are skipped (default 540: the whole
 *                                       run must stay under 10 minutes on 2 cores)
 */
import { readdirSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchReport, machine, markdownTable } from './harness.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(benchDir, 'results');
const budgetSeconds = Number(process.env.BENCH_BUDGET_SECONDS ?? 540);
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

interface BenchOutcome {
  file: string;
  status: 'ok' | 'failed' | 'skipped';
  seconds: number;
  report?: BenchReport;
  error?: string;
}

function isReport(r: unknown): r is BenchReport {
  const x = r as BenchReport;
  return typeof x === 'object' && x !== null && typeof x.title === 'string' && Array.isArray(x.rows) && Array.isArray(x.notes);
}

/** A rejection nobody awaited (e.g. a stray promise in a bench) fails the running bench, not the whole run. */
let strayError: unknown = null;
process.on('unhandledRejection', (e) => {
  strayError ??= e;
});

async function runOne(file: string): Promise<BenchOutcome> {
  const t0 = performance.now();
  const seconds = () => Number(((performance.now() - t0) / 1000).toFixed(1));
  strayError = null;
  try {
    const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { run?: () => Promise<unknown> };
    if (typeof mod.run !== 'function') throw new Error('exports no run() function');
    const report = await mod.run();
    if (!isReport(report)) throw new Error('run() did not resolve with a BenchReport { title, command, rows, notes }');
    if (strayError) throw strayError;
    return { file, status: 'ok', seconds: seconds(), report };
  } catch (e) {
    const error = e instanceof Error ? `${e.message}${e.stack ? `\n${e.stack.split('\n').slice(1, 4).join('\n')}` : ''}` : String(e);
    return { file, status: 'failed', seconds: seconds(), error };
  }
}

function toMarkdown(info: Record<string, string | number>, outcomes: BenchOutcome[], wallSeconds: number): string {
  const out = [
    '# wasm2vec benchmarks',
    '',
    `\`npm run bench\` — ${outcomes.length} bench files, ${wallSeconds.toFixed(0)} s wall, ${info.date}`,
    '',
    markdownTable([
      {
        cpu: info.cpu,
        cores: info.cores,
        'memory GiB': info.memoryGiB,
        node: info.node,
        'load (1/5/15 min) at start': String(info.loadAtStart),
        'load at end': String(info.loadAtEnd),
      },
    ]),
    '',
    markdownTable(outcomes.map((o) => ({ bench: o.file, status: o.status, seconds: o.seconds.toFixed(1) }))),
  ];
  for (const o of outcomes) {
    if (o.status === 'ok' && o.report) {
      const r = o.report;
      out.push('', `## ${r.title}`, '', `\`${r.command}\` (${o.seconds} s)`, '', markdownTable(r.rows));
      const notes = r.notes.filter((n) => !n.startsWith('machine: '));
      if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
    } else {
      out.push('', `## ${o.file}: ${o.status.toUpperCase()}`, '', '```', o.error ?? '', '```');
    }
  }
  return `${out.join('\n')}\n`;
}

/** Writes through a temp file so an interrupted run never leaves half a result. */
function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

const started = performance.now();
const loads = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const info: Record<string, string | number> = { ...machine(), loadAtStart: loads() };
// The headline comparison first, so a run cut short by the budget still has it; then by name.
const FIRST = ['word2vec.bench.ts', 'startup.bench.ts'];
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort((a, b) => (FIRST.indexOf(a) + 1 || 99) - (FIRST.indexOf(b) + 1 || 99) || a.localeCompare(b))
  .filter((f) => !only.length || only.some((o) => f.includes(o)));
const outcomes: BenchOutcome[] = [];
for (const file of files) {
  const elapsed = (performance.now() - started) / 1000;
  if (elapsed > budgetSeconds) {
    outcomes.push({
      file,
      status: 'skipped',
      seconds: 0,
      error: `not started: ${elapsed.toFixed(0)} s elapsed, over the ${budgetSeconds} s budget (BENCH_BUDGET_SECONDS)`,
    });
    continue;
  }
  process.stderr.write(`[bench] ${file} …\n`);
  const o = await runOne(file);
  process.stderr.write(`[bench] ${file}: ${o.status} in ${o.seconds} s${o.error ? ` — ${o.error.split('\n')[0]}` : ''}\n`);
  outcomes.push(o);
}
const wallSeconds = (performance.now() - started) / 1000;
info.loadAtEnd = loads();
info.uptime = os.uptime();
mkdirSync(resultsDir, { recursive: true });
const markdown = toMarkdown(info, outcomes, wallSeconds);
writeAtomic(join(resultsDir, 'latest.json'), `${JSON.stringify({ machine: info, wallSeconds: Number(wallSeconds.toFixed(1)), benches: outcomes }, null, 2)}\n`);
writeAtomic(join(resultsDir, 'latest.md'), markdown);
console.log(markdown);
process.stderr.write(`[bench] wrote ${join('bench', 'results', 'latest.json')} and latest.md in ${wallSeconds.toFixed(0)} s\n`);
// Benches may leave worker threads or timers behind; the results are written, so end here. A failed bench
// is in the report; BENCH_STRICT=1 also turns it into a non-zero exit code.
process.exit(process.env.BENCH_STRICT === '1' && outcomes.some((o) => o.status !== 'ok') ? 1 : 0);
