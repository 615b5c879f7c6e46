import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli.js';
import { demoCorpusPath } from '../../helpers/data.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await main(args, {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    tty: false,
  });
  return { code, out, err };
}

describe('wasm2vec CLI: glove', () => {
  it('trains a file and writes GloVe text (no header), with a JSON summary on --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glove-cli-'));
    try {
      const corpus = join(dir, 'c.txt');
      writeFileSync(corpus, readFileSync(demoCorpusPath, 'utf8').split('\n').slice(0, 3000).join('\n'));
      const out = join(dir, 'vectors.txt');
      const r = await cli([
        'glove',
        corpus,
        '-o',
        out,
        '--dim',
        '16',
        '--window',
        '6',
        '--x-max',
        '10',
        '--epochs',
        '3',
        '--min-count',
        '3',
        '--threads',
        '1',
        '--seed',
        '2',
        '--json',
      ]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.out.trim().split('\n').pop()!);
      expect(summary.epochs).toBe(3);
      expect(summary.cells).toBeGreaterThan(10_000);
      expect(summary.tokens).toBeGreaterThan(20_000);
      expect(summary.cost).toBeGreaterThan(0);
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
      expect(lines.length).toBe(summary.vocabulary);
      expect(lines[0].split(' ')).toHaveLength(17);
      expect(lines[0].split(' ')[0]).toBe('the');
      const again = join(dir, 'again.txt');
      await cli([
        'glove',
        corpus,
        '-o',
        again,
        '--dim',
        '16',
        '--window',
        '6',
        '--x-max',
        '10',
        '--epochs',
        '3',
        '--min-count',
        '3',
        '--threads',
        '1',
        '--seed',
        '2',
        '--format',
        'word2vec-text',
      ]);
      const w2v = readFileSync(again, 'utf8').split('\n');
      expect(w2v[0]).toBe(`${summary.vocabulary} 16`);
      expect(w2v[1]).toBe(lines[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exit code 2 for usage errors and bad options, 1 for runtime errors, 0 for --help', async () => {
    expect((await cli(['glove', '--help'])).code).toBe(0);
    expect((await cli(['glove', '--help'])).out).toMatch(/--x-max/);
    expect((await cli(['--help'])).out).toMatch(/glove\s+Train GloVe/);
    const bad = await cli(['glove', 'x.txt', '-o', 'y', '--x-max', '0']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/xMax: got 0/);
    expect((await cli(['glove', 'x.txt'])).err).toMatch(/-o <out> is required/);
    expect((await cli(['glove', 'x.txt', '-o', 'y', '--memory-budget', 'lots'])).err).toMatch(/--memory-budget: expected bytes/);
    expect((await cli(['glove', 'x.txt', '-o', 'y', '--format', 'csv'])).code).toBe(2);
    const missing = await cli(['glove', '/nonexistent/corpus.txt', '-o', 'y', '--threads', '1']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/corpus\.txt/);
  });
});
