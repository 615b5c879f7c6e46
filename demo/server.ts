/**
 * `npm run demo`: bundles demo/main.ts with esbuild (in memory, once at start) and serves the demo page
 * from 127.0.0.1 with the COOP/COEP headers that make the page cross-origin isolated, so training runs
 * on several threads sharing one WebAssembly.Memory. `/?isolation=off` serves the page without them
 * (one thread, as on an ordinary web host). Port: $PORT, else 5173, else any free port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const demoDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(demoDir, '..');

/** URL path → candidate files, first existing wins (the repo's copy, then ../shared/data next to the repo). */
const DATA_FILES: Record<string, { files: string[]; type: string }> = {
  '/data/demo-fairytales/corpus.txt': { files: [join(repoRoot, 'data/demo-fairytales/corpus.txt')], type: 'text/plain; charset=utf-8' },
  '/data/en-mr-polarity/mr.tsv': {
    files: [join(repoRoot, 'data/en-mr-polarity/mr.tsv'), join(repoRoot, '../shared/data/en-mr-polarity/mr.tsv')],
    type: 'text/tab-separated-values; charset=utf-8',
  },
};

export interface DemoServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface DemoServerOptions {
  /** Port to try first (default $PORT or 5173); 0 picks a free one. Falls back to a free port when taken. */
  port?: number;
  host?: string;
}

/** Bundles the page script; esbuild resolves `../src/index.ts`, so the demo always runs the current source. */
async function bundleDemo(): Promise<string> {
  const result = await build({
    entryPoints: [join(demoDir, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    external: ['node:*'],
    write: false,
    logLevel: 'silent',
    minify: false,
    legalComments: 'none',
  });
  return result.outputFiles[0].text;
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const wanted = options.port ?? Number(process.env.PORT ?? 5173);
  const script = await bundleDemo();
  const statics: Record<string, { body: string | Buffer; type: string }> = {
    '/': { body: readFileSync(join(demoDir, 'index.html')), type: 'text/html; charset=utf-8' },
    '/main.js': { body: script, type: 'text/javascript; charset=utf-8' },
    '/style.css': { body: readFileSync(join(demoDir, 'style.css')), type: 'text/css; charset=utf-8' },
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'Cross-Origin-Resource-Policy': 'same-origin' };
    // Isolation is decided by the document's own response headers; subresources keep COEP-compatible CORP.
    if (url.searchParams.get('isolation') !== 'off') {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers);
      res.end();
      return;
    }
    const fixed = statics[url.pathname === '/index.html' ? '/' : url.pathname];
    const data = DATA_FILES[url.pathname];
    const file = data?.files.find((f) => existsSync(f));
    if (fixed) {
      res.writeHead(200, { ...headers, 'Content-Type': fixed.type });
      res.end(req.method === 'HEAD' ? undefined : fixed.body);
    } else if (data && file) {
      res.writeHead(200, { ...headers, 'Content-Type': data.type });
      res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204, headers);
      res.end();
    } else {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(data ? `${url.pathname}: not available on this machine (looked for ${data.files.join(', ')})\n` : 'not found\n');
    }
  };

  const server = createServer(handle);
  let port: number;
  try {
    port = await listen(server, wanted, host);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    port = await listen(server, 0, host);
  }
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const t0 = performance.now();
  const s = await startDemoServer();
  console.log(
    `wasm2vec demo (bundled in ${Math.round(performance.now() - t0)} ms), cross-origin isolated (threads):\n  ${s.url}\n` +
      `without isolation (one thread, as on an ordinary host):\n  ${s.url}?isolation=off\nPress Ctrl+C to stop.`,
  );
  const stop = () => {
    void s.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
