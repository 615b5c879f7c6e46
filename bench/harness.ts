/**
 * Shared bench plumbing: machine facts, CPU-time measurement, medians and markdown tables.
 * Each bench/*.bench.ts exports `run(): Promise<BenchReport>`; `npm run bench` (bench/run.ts) runs them
 * all in one process and writes bench/results/latest.json and latest.md. A bench file also runs alone:
 * `npx tsx bench/<name>.bench.ts`.
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';

export type Row = Record<string, string | number>;
export interface BenchReport {
  title: string;
  command: string;
  rows: Row[];
  notes: string[];
}

export function machine(): Record<string, string | number> {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    load1: Number(os.loadavg()[0].toFixed(2)),
    date: new Date().toISOString(),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall and process CPU seconds of an async function (CPU includes this process's worker threads). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** Runs a child process and returns its stdout+stderr, wall seconds and CPU seconds (children's rusage). */
export function timedProcess(cmd: string, args: string[], options: { input?: string } = {}): { output: string; wall: number; cpu: number } {
  const out = execFileSync('/usr/bin/time', ['-f', '__TIME__ %e %U %S', cmd, ...args], {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    input: options.input,
    maxBuffer: 1 << 28,
  }).toString();
  return parseTime(out);
}

function parseTime(text: string): { output: string; wall: number; cpu: number } {
  const m = /__TIME__ ([\d.]+) ([\d.]+) ([\d.]+)/.exec(text);
  return { output: text, wall: m ? Number(m[1]) : NaN, cpu: m ? Number(m[2]) + Number(m[3]) : NaN };
}

/** Like timedProcess but captures stderr too (execFileSync only returns stdout). */
export function timedProcessAll(cmd: string, args: string[]): { output: string; wall: number; cpu: number } {
  const script = `/usr/bin/time -f '__TIME__ %e %U %S' "$0" "$@" 2>&1`;
  const out = execFileSync('bash', ['-c', script, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return parseTime(out);
}

export function has(cmd: string): boolean {
  try {
    execFileSync('bash', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function markdownTable(rows: Row[]): string {
  if (!rows.length) return '(no rows)';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const fmt = (v: string | number | undefined) =>
    v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(4)) : v;
  return [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${cols.map((c) => fmt(r[c])).join(' | ')} |`)].join(
    '\n',
  );
}

export function printReport(r: BenchReport): void {
  console.log(`\n## ${r.title}\n\n\`${r.command}\`\n\n${markdownTable(r.rows)}\n${r.notes.map((n) => `\n- ${n}`).join('')}\n`);
}

/** True when this module is the process entry (a bench run standalone). */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && metaUrl.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'));
}
