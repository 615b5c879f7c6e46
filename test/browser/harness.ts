/**
 * Browser test harness: bundles the library for the browser with esbuild, serves it from 127.0.0.1
 * (with COOP/COEP headers for cross-origin isolation, or without them to test the one-thread fallback)
 * and drives Debian's chromium through playwright-core with a fresh profile.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../helpers/data.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
// CI installs chromium and sets REQUIRE_BROWSER=1, so a missing browser fails loudly instead of skipping.
if (!chromiumAvailable && process.env.REQUIRE_BROWSER === '1') {
  throw new Error(`REQUIRE_BROWSER=1 but no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
  '.tsv': 'text/plain; charset=utf-8',
};

let bundlePromise: Promise<string> | null = null;
/**
 * The whole public API as one browser ESM bundle exposing `window.wasm2vec`, plus `window.wasm2vecTestHooks`
 * (the KernelPool class, for tests that reach a running training's workers as the Node tests do).
 */
export function browserBundle(): Promise<string> {
  bundlePromise ??= build({
    stdin: {
      contents: `import * as api from './src/index.ts'; import { KernelPool } from './src/runtime/kernel-pool.ts';
        globalThis.wasm2vec = api; globalThis.wasm2vecTestHooks = { KernelPool };`,
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    external: ['node:*'],
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0].text);
  return bundlePromise;
}

export interface ServedPage {
  page: Page;
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `routes` (path → body) plus the repo's `data/` folder and /bundle.js, opens `/` in chromium.
 * `isolated` controls the COOP/COEP headers.
 */
export async function openPage(options: { isolated: boolean; html?: string; routes?: Record<string, string | Buffer> }): Promise<ServedPage> {
  const bundle = await browserBundle();
  const html = options.html ?? '<!doctype html><meta charset="utf-8"><title>wasm2vec test</title><script type="module" src="/bundle.js"></script>';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (options.isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    let body: string | Buffer | undefined;
    let type = 'text/html';
    if (url.pathname === '/') body = html;
    else if (url.pathname === '/bundle.js') {
      body = bundle;
      type = MIME['.js'];
    } else if (options.routes && url.pathname in options.routes) {
      body = options.routes[url.pathname];
      type = MIME[extname(url.pathname)] ?? 'application/octet-stream';
    } else if (url.pathname.startsWith('/data/')) {
      const p = normalize(join(repoRoot, url.pathname));
      if (p.startsWith(join(repoRoot, 'data')) && existsSync(p)) {
        body = readFileSync(p);
        type = MIME[extname(p)] ?? 'application/octet-stream';
      }
    }
    if (body === undefined) {
      res.writeHead(404, headers);
      res.end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': type });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const profile = mkdtempSync(join(tmpdir(), 'wasm2vec-chromium-'));
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `http://127.0.0.1:${port}/`;
    await page.goto(url);
    await page
      .waitForFunction(() => (globalThis as { wasm2vec?: unknown }).wasm2vec !== undefined || document.title === 'error', null, { timeout: 30_000 })
      .catch(() => {
        throw new Error(`page did not load the bundle: ${errors.join('; ')}`);
      });
    return {
      page,
      url,
      async close() {
        await context?.close();
        await new Promise<void>((r) => server.close(() => r()));
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await context?.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

export type { Browser };

/** A fresh headless chromium profile for tests that serve their own pages (e.g. the demo server). */
export async function launchChromium(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'wasm2vec-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}
