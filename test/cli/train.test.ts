import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { Embeddings } from '../../src/index.js';
import { demoCorpusPath } from '../helpers/data.js';

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

describe('wasm2vec CLI: train', () => {
  it('trains a file and writes word2vec text, printing a JSON summary with --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2v-cli-'));
    try {
      const corpus = join(dir, 'c.txt');
      writeFileSync(corpus, readFileSync(demoCorpusPath, 'utf8').split('\n').slice(0, 5000).join('\n'));
      const out = join(dir, 'v.txt');
      const r = await cli(['train', corpus, '-o', out, '--mode', 'classic', '--dim', '20', '--epochs', '1', '--threads', '1', '--min-count', '3', '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.out.trim().split('\n').pop()!);
      expect(summary.tokens).toBeGreaterThan(50_000);
      expect(summary.seconds).toBeGreaterThan(0);
      expect(summary.tokensPerSecond).toBeCloseTo(summary.tokens / summary.seconds, -3);
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
      const [n, d] = lines[0].split(' ').map(Number);
      expect(d).toBe(20);
      expect(lines.length).toBe(n + 1);
      expect(lines[1].split(' ')).toHaveLength(21);
      expect(lines[1].split(' ')[0]).toBe('the');
      // The binary layout round-trips to the same floats as the text file.
      const bin = join(dir, 'v.bin');
      expect(
        (
          await cli([
            'train',
            corpus,
            '-o',
            bin,
            '--format',
            'word2vec-binary',
            '--mode',
            'classic',
            '--dim',
            '20',
            '--epochs',
            '1',
            '--threads',
            '1',
            '--min-count',
            '3',
          ])
        ).code,
      ).toBe(0);
      const [a, b] = await Promise.all([Embeddings.load(out), Embeddings.load(bin)]);
      expect(b.words).toEqual(a.words);
      expect(b.vectors).toEqual(a.vectors);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exit code 2 for usage errors, 1 for runtime errors, 0 for --help', async () => {
    expect((await cli(['train', '--help'])).code).toBe(0);
    expect((await cli(['train', '--help'])).out).toMatch(/--min-count/);
    expect((await cli(['--help'])).out).toMatch(/train\s+Train Word2Vec/);
    const unknown = await cli(['train', 'x.txt', '-o', 'y', '--dimm', '3']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown option --dimm/);
    const bad = await cli(['train', 'x.txt', '-o', 'y', '--dim', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--dim: expected an integer/);
    const zero = await cli(['train', 'x.txt', '-o', 'y', '--dim', '0']);
    expect(zero.code).toBe(2);
    expect(zero.err).toMatch(/dim/);
    expect((await cli(['train', 'x.txt'])).code).toBe(2);
    const missing = await cli(['train', '/nonexistent/x.txt', '-o', '/tmp/y.txt', '--threads', '1']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nonexistent\/x.txt/);
    expect((await cli(['nope'])).code).toBe(2);
  });
});
