import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli.js';
import { repoData } from '../../helpers/data.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
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

const rows = readFileSync(repoData('en-mr-polarity/mr.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'));
const sample = [...rows.slice(0, 1500), ...rows.slice(-1500)];

describe('wasm2vec supervised / predict', () => {
  it('trains from fastText-format lines, predicts, and tests like fastText', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-cli-linear-'));
    try {
      const train = sample.filter((r) => r[1] !== '0').map((r) => `__label__${r[0] === '1' ? 'pos' : 'neg'} ${r[2]}`);
      const test = sample.filter((r) => r[1] === '0').map((r) => `__label__${r[0] === '1' ? 'pos' : 'neg'} ${r[2]}`);
      writeFileSync(join(dir, 'train.txt'), train.join('\n') + '\n');
      writeFileSync(join(dir, 'test.txt'), test.join('\n') + '\n');
      const model = join(dir, 'model.w2vl');
      const t = await run([
        'supervised',
        join(dir, 'train.txt'),
        '-o',
        model,
        '--word-ngrams',
        '2',
        '--epochs',
        '5',
        '--lr',
        '0.5',
        '--dim',
        '32',
        '--threads',
        '1',
        '--json',
        '--test',
        join(dir, 'test.txt'),
      ]);
      expect(t.code, t.err).toBe(0);
      const report = JSON.parse(t.out);
      expect(report.examples).toBe(train.length);
      expect(report.labels).toBe(2);
      expect(report.test.accuracy).toBeGreaterThan(0.65);
      expect(existsSync(model)).toBe(true);

      const tested = await run(['predict', model, join(dir, 'test.txt'), '--test']);
      expect(tested.code, tested.err).toBe(0);
      const [n, p, r] = tested.out
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      expect(n).toEqual(['N', String(test.length)]);
      expect(p[0]).toBe('P@1');
      expect(Number(p[1])).toBeCloseTo(report.test.accuracy, 3);
      expect(Number(r[1])).toBeCloseTo(report.test.accuracy, 3);

      writeFileSync(join(dir, 'plain.txt'), 'a gorgeous , moving and funny film\ndull , tedious and badly acted\n');
      const predicted = await run(['predict', model, join(dir, 'plain.txt'), '-k', '2', '--prob']);
      expect(predicted.code, predicted.err).toBe(0);
      const lines = predicted.out
        .trim()
        .split('\n')
        .map((l) => l.split(' '));
      expect(lines).toHaveLength(2);
      expect(lines[0][0]).toBe('__label__pos');
      expect(lines[1][0]).toBe('__label__neg');
      expect(Number(lines[0][1]) + Number(lines[0][3])).toBeCloseTo(1, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trains on a label/fold/text TSV with a held-out fold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-cli-linear-'));
    try {
      writeFileSync(join(dir, 'data.tsv'), 'label\tfold\ttext\n' + sample.map((r) => r.join('\t')).join('\n') + '\n');
      const t = await run([
        'supervised',
        join(dir, 'data.tsv'),
        '-o',
        join(dir, 'm'),
        '--holdout-fold',
        '0',
        '--epochs',
        '5',
        '--lr',
        '0.5',
        '--dim',
        '32',
        '--threads',
        '1',
        '--json',
      ]);
      expect(t.code, t.err).toBe(0);
      const report = JSON.parse(t.out);
      expect(report.examples + report.holdout.examples).toBe(sample.length);
      expect(report.holdout.accuracy).toBeGreaterThan(0.65);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports bad input by file and line, and usage errors with exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-cli-linear-'));
    try {
      writeFileSync(join(dir, 'bad.txt'), '__label__a fine text\nno label on this line\n');
      const bad = await run(['supervised', join(dir, 'bad.txt'), '-o', join(dir, 'm')]);
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/bad\.txt: line 2 has no __label__ label/);
      writeFileSync(join(dir, 'one.txt'), '__label__a fine text\n__label__a more text\n');
      const one = await run(['supervised', join(dir, 'one.txt'), '-o', join(dir, 'm')]);
      expect(one.code).toBe(2);
      expect(one.err).toMatch(/all labels are "__label__a".*at least two classes/);
      expect((await run(['supervised', join(dir, 'one.txt')])).code).toBe(2);
      const missing = await run(['predict', join(dir, 'nope.w2vl'), join(dir, 'one.txt')]);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/cannot read .*nope\.w2vl/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
