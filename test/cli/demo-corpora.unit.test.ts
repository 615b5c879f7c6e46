/** Which corpus `wasm2vec demo` trains on, in a clone (both corpora) and in the npm package (fairy tales only). */
import { describe, it, expect } from 'vitest';
import { chooseDemoCorpus, demoCorpus } from '../../src/cli/demo-corpora.js';
import { UsageError } from '../../src/cli/args.js';
import { Wasm2VecError } from '../../src/errors.js';

const clone = { gutenberg: '/r/data/en-corpus-gutenberg-head/corpus.text8.gz', fairytales: '/r/data/demo-fairytales/corpus.txt' };
const pkg = { fairytales: '/p/data/demo-fairytales/corpus.txt' };

describe('chooseDemoCorpus', () => {
  it('trains on the Gutenberg slice in a clone, on the fairy tales when asked', () => {
    expect(chooseDemoCorpus(undefined, clone)).toMatchObject({ corpus: { name: 'gutenberg', path: clone.gutenberg }, fellBack: false });
    expect(chooseDemoCorpus('gutenberg', clone)).toMatchObject({ corpus: { name: 'gutenberg' }, fellBack: false });
    expect(chooseDemoCorpus('fairytales', clone)).toMatchObject({ corpus: { name: 'fairytales', path: clone.fairytales }, fellBack: false });
  });

  it('falls back to the fairy tales in the package and says so; refuses an explicit gutenberg there', () => {
    expect(chooseDemoCorpus(undefined, pkg)).toMatchObject({ corpus: { name: 'fairytales', path: pkg.fairytales }, fellBack: true });
    expect(chooseDemoCorpus('fairytales', pkg).fellBack).toBe(false);
    const e = (() => {
      try {
        chooseDemoCorpus('gutenberg', pkg);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(Wasm2VecError);
    expect(e).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/--corpus gutenberg: data\/en-corpus-gutenberg-head\/corpus\.text8\.gz is not in this installation/),
    });
    expect(() => chooseDemoCorpus(undefined, {})).toThrow(/data\/demo-fairytales\/corpus\.txt is missing/);
  });

  it('rejects an unknown corpus name as a usage error', () => {
    expect(() => chooseDemoCorpus('text8', clone)).toThrow(UsageError);
    expect(() => chooseDemoCorpus('', clone)).toThrow(/--corpus: expected gutenberg or fairytales, got ""/);
  });
});

describe('demoCorpus', () => {
  it('asks each corpus well-formed questions: analogies of 4 distinct words, 4 words for the odd one out', () => {
    for (const name of ['gutenberg', 'fairytales'] as const) {
      const c = demoCorpus(name, '/x');
      expect(c.neighbours.length).toBeGreaterThan(0);
      for (const q of c.analogies) expect(new Set(q).size).toBe(4);
      expect(new Set(c.oddOneOut).size).toBe(4);
      expect(c.epochs).toBeGreaterThan(0);
    }
  });
});
