/**
 * The published package as a user gets it: `npm pack` the repo (its built dist/), install the tarball
 * offline into a fresh temp project, and use it from there — an ESM Node script (train, query, timed
 * import + first WebAssembly instance), `require`, the `wasm2vec` bin, the bundled type declarations,
 * and a Vite-built page that trains in headless Chromium with threads.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromiumAvailable, launchChromium } from '../browser/harness.js';
import { repoRoot } from '../helpers/data.js';

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

const tmp = mkdtempSync(join(tmpdir(), 'wasm2vec-pack-'));
const project = join(tmp, 'project');
const installed = join(project, 'node_modules', 'wasm2vec');
let pack: PackResult;

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist', 'index.js'))) {
    throw new Error('dist/ is missing: build the package first (`npm ci` does it through `prepare`, or `npm run build`)');
  }
  // --ignore-scripts: pack the dist/ that `npm ci` built instead of rebuilding it in a tree others are editing.
  pack = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], repoRoot))[0];
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-test', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(tmp, pack.filename)], project);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships the built library, its types, the demo corpus with provenance, and no dependencies', () => {
    const paths = new Set(pack.files.map((f) => f.path));
    for (const p of [
      'package.json',
      'README.md',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli.js',
      'data/demo-fairytales/corpus.txt',
      'data/demo-fairytales/MANIFEST.md',
      'data/demo-fairytales/books.tsv',
    ]) {
      expect(paths, p).toContain(p);
    }
    for (const p of paths) expect(p).toMatch(/^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts)|data\/demo-fairytales\/.+)$/);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    console.log(
      `package: ${pack.filename}, ${(pack.size / 1024).toFixed(0)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${pack.entryCount} files`,
    );
    expect(pack.size).toBeLessThan(2 * 1024 * 1024);
  });

  it('imports in Node (ESM), trains a tiny model, and reports import + first WebAssembly instance time', () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      `
      const c0 = process.cpuUsage(), t0 = performance.now();
      const { Word2Vec, Embeddings } = await import('wasm2vec');
      const t1 = performance.now(), c1 = process.cpuUsage(c0);
      // First WebAssembly instance: the search kernel, compiled and instantiated synchronously on first query.
      new Embeddings(['a', 'b', 'c'], new Float32Array([1, 0, 0, 1, 0.6, 0.8]), 2).mostSimilar({ positive: ['a'], topN: 1 });
      const t2 = performance.now(), c2 = process.cpuUsage(c0);
      const times = { importMs: t1 - t0, instantiateMs: t2 - t1, importCpuMs: (c1.user + c1.system) / 1000, totalCpuMs: (c2.user + c2.system) / 1000 };
      if (process.argv[2] !== 'train') { console.log(JSON.stringify(times)); process.exit(0); }
      const model = await Word2Vec.train({ path: new URL('./node_modules/wasm2vec/data/demo-fairytales/corpus.txt', import.meta.url).pathname },
        { dim: 32, epochs: 1, minCount: 5, threads: 1, seed: 1 });
      const neighbours = model.embeddings.mostSimilar({ positive: ['king'], topN: 5 }).map((x) => x.word);
      const out = { ...times, vocabulary: model.vocabulary.size, neighbours };
      model.dispose();
      console.log(JSON.stringify(out));
    `,
    );
    // Median of 5 fresh processes: each pays the full module load; wall time on a shared 2-core box is noisy.
    const runs = Array.from({ length: 5 }, (_, i) =>
      JSON.parse(
        run('node', ['esm.mjs', i === 0 ? 'train' : 'time'], project)
          .trim()
          .split('\n')
          .pop()!,
      ),
    );
    const med = (k: string) => runs.map((r) => r[k] as number).sort((a, b) => a - b)[2];
    console.log(
      `import ${med('importMs').toFixed(1)} ms + first instance ${med('instantiateMs').toFixed(1)} ms wall (median of 5); ` +
        `CPU ${med('importCpuMs').toFixed(1)} ms import, ${med('totalCpuMs').toFixed(1)} ms with the instance`,
    );
    expect(runs[0].vocabulary).toBeGreaterThan(3000);
    expect(runs[0].neighbours).toHaveLength(5);
    expect(runs[0].neighbours).not.toContain('king');
    // Generous bound: the 50 ms target is measured on an idle machine (bench/startup.bench.ts); this catches regressions by 10x.
    expect(med('importMs') + med('instantiateMs')).toBeLessThan(500);
  });

  it('loads through require() (the exports "require" condition; Node >= 20.19 loads the ES module synchronously)', () => {
    writeFileSync(
      join(project, 'cjs.cjs'),
      `
      const { Word2Vec, Embeddings } = require('wasm2vec');
      const e = new Embeddings(['x', 'y'], new Float32Array([1, 0, 0, 1]), 2);
      console.log(JSON.stringify({ train: typeof Word2Vec.train, sim: e.similarity('x', 'y') }));
    `,
    );
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19)) {
      expect(JSON.parse(run('node', ['cjs.cjs'], project))).toEqual({ train: 'function', sim: 0 });
    } else {
      expect(() => run('node', ['cjs.cjs'], project)).toThrow(/ERR_REQUIRE_ESM|import\(\)/);
    }
  });

  it('installs the wasm2vec bin and ships type declarations that type-check a consumer', () => {
    const help = run(join(project, 'node_modules', '.bin', 'wasm2vec'), ['--help'], project);
    expect(help).toMatch(/Usage: wasm2vec <command>/);
    writeFileSync(
      join(project, 'check.ts'),
      `
      import { Word2Vec, Embeddings, type Word2VecProgress } from 'wasm2vec';
      export async function f(text: string): Promise<number> {
        const m = await Word2Vec.train(text, { dim: 10, onProgress: (p: Word2VecProgress) => void p.meanLoss });
        const top: { word: string; score: number }[] = m.embeddings.mostSimilar({ positive: ['a'], topN: 3 });
        const e: Embeddings = m.embeddings;
        m.dispose();
        return top.length + e.dim;
      }
    `,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2023', 'dom'],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['check.ts'],
      }),
    );
    expect(() => run('node', [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project)).not.toThrow();
  });

  it.runIf(chromiumAvailable)('works in a Vite-built page: trains with threads in headless Chromium', async () => {
    mkdirSync(join(project, 'public'));
    copyFileSync(join(installed, 'data', 'demo-fairytales', 'corpus.txt'), join(project, 'public', 'corpus.txt'));
    writeFileSync(join(project, 'index.html'), '<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/main.js"></script>');
    writeFileSync(
      join(project, 'main.js'),
      `
      import { Word2Vec } from 'wasm2vec';
      (async () => {
        try {
          const text = await (await fetch('/corpus.txt')).text();
          const model = await Word2Vec.train(text, { dim: 32, epochs: 1, minCount: 5, threads: 2, seed: 1 });
          window.result = { isolated: crossOriginIsolated, threads: model.stats.threads, vocabulary: model.vocabulary.size,
            neighbours: model.embeddings.mostSimilar({ positive: ['queen'], topN: 5 }).map((x) => x.word) };
          model.dispose();
          document.title = 'done';
        } catch (e) {
          window.result = { error: String(e && e.stack || e) };
          document.title = 'error';
        }
      })();
    `,
    );
    run('node', [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--outDir', 'web'], project);
    const web = join(project, 'web');
    const server: Server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = normalize(join(web, path === '/' ? 'index.html' : path));
      const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
      if (!file.startsWith(web) || !existsSync(file)) {
        res.writeHead(404, headers);
        res.end();
        return;
      }
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.txt': 'text/plain' }[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { ...headers, 'Content-Type': type });
      res.end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const browser = await launchChromium();
    try {
      const errors: string[] = [];
      browser.page.on('pageerror', (e) => errors.push(e.message));
      await browser.page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
      await browser.page.waitForFunction(() => document.title !== 'loading', null, { timeout: 60_000 });
      const result = await browser.page.evaluate(() => (globalThis as unknown as { result: Record<string, unknown> }).result);
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ isolated: true, threads: 2 });
      expect(result.vocabulary).toBeGreaterThan(3000);
      expect(result.neighbours).toHaveLength(5);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
