import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { whitespaceTokenizer, type Tokenizer } from '../text/tokenizer.js';
import { Wasm2VecError } from '../errors.js';
import { UsageError } from './args.js';

/**
 * What `wasm2vec demo` trains on and asks. Each corpus gets the queries it answers: every neighbour
 * word, analogy and odd-one-out below was chosen from 7 runs (seeds 1–5 on 2 threads, seed 1 on one
 * thread, the demo itself) of exactly these settings, keeping those whose answer held in all runs (the
 * man : king analogy on the Gutenberg slice: rank 1 in 6 runs, rank 2 in one), not from one lucky run.
 * Two later `npm start` runs had queen at rank 2 once and walked at rank 2 once: the demo prints the rank.
 * test/cli/demo.test.ts holds the measured overlaps and scores.
 */
export interface DemoCorpus {
  name: 'gutenberg' | 'fairytales';
  /** The corpus file, found inside this installation. */
  path: string;
  /** One line for the header: what the text is. */
  title: string;
  epochs: number;
  minCount: number;
  tokenizer?: Tokenizer;
  /** Words whose nearest neighbours are printed. */
  neighbours: string[];
  /** a : b :: c : expected. */
  analogies: [string, string, string, string][];
  /** A group with one word that does not belong (the last). */
  oddOneOut: string[];
  /** What training on more text changes, in words (the demo adds the measured analogy score when it can). */
  outlook: string;
}

export const DEMO_CORPUS_NAMES = ['gutenberg', 'fairytales'] as const;

/** A file under the installation's `data/` (the repository root from src/cli, or the package root from dist/cli), or undefined. */
export function findDemoData(rel: string): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const p = join(here, up, 'data', rel);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export const GUTENBERG_HEAD = 'en-corpus-gutenberg-head/corpus.text8.gz';
export const FAIRYTALES = 'demo-fairytales/corpus.txt';
export const GOOGLE_ANALOGIES = 'en-google-analogy/questions-words.txt';

/** The Quality table of the README: skip-gram batched on the whole 18.5M-token corpus, same settings, 2 threads. */
const FULL_CORPUS =
  'the whole 18.5 M-word Gutenberg corpus (259 books; skip-gram, 5 epochs, min count 5) reaches 42.6 % ' +
  'on the Google analogy test (semantic 37.1 %, syntactic 43.1 %) and WordSim-353 ρ 0.54 (README, "Quality")';

export function demoCorpus(name: (typeof DEMO_CORPUS_NAMES)[number], path: string): DemoCorpus {
  if (name === 'gutenberg') {
    return {
      name,
      path,
      epochs: 5,
      minCount: 5,
      tokenizer: whitespaceTokenizer,
      title: '45 public-domain Project Gutenberg books (Alcott to Burroughs), the first 15 MB of the 18.5 M-token text8 corpus',
      neighbours: ['monday', 'two', 'mother', 'french', 'music', 'heart', 'walked'],
      analogies: [
        ['man', 'king', 'woman', 'queen'],
        ['child', 'children', 'man', 'men'],
        ['swimming', 'swam', 'walking', 'walked'],
      ],
      oddOneOut: ['london', 'paris', 'rome', 'apple'],
      outlook: `More text helps most where words are rare: capitals (athens : greece :: paris : france) mostly fail on this slice; ${FULL_CORPUS}.`,
    };
  }
  return {
    name,
    path,
    epochs: 10,
    minCount: 3,
    title: "Grimms' Fairy Tales, Andersen's Fairy Tales and Lang's Blue Fairy Book (public domain, 290 k words)",
    neighbours: ['said', 'day', 'gold', 'forest', 'son', 'walked'],
    analogies: [
      ['he', 'she', 'prince', 'princess'],
      ['good', 'better', 'bad', 'worse'],
      ['going', 'went', 'taking', 'took'],
    ],
    oddOneOut: ['gold', 'silver', 'copper', 'bread'],
    outlook:
      'More text: 290 k words is small for word vectors; grammar and frequent words work, most facts do not (man : king :: woman : ? puts ' +
      'sultan, cook or magician first here). A clone of the repository trains `npm start` on 2.9 M words of Gutenberg books, where it gives queen; ' +
      `${FULL_CORPUS}.`,
  };
}

/**
 * `--corpus` (or none) → the corpus to train: the Gutenberg slice when this installation has it (a clone
 * of the repository), else the fairy tales, which the npm package ships alone (the slice would add 5.2 MB
 * to a 0.9 MB package). `fellBack`: the slice was wanted by default but is absent.
 */
export function chooseDemoCorpus(flag: string | undefined, found: { gutenberg?: string; fairytales?: string }): { corpus: DemoCorpus; fellBack: boolean } {
  if (flag !== undefined && !(DEMO_CORPUS_NAMES as readonly string[]).includes(flag)) {
    throw new UsageError(`--corpus: expected ${DEMO_CORPUS_NAMES.join(' or ')}, got ${JSON.stringify(flag)}`);
  }
  if (flag === 'gutenberg' && !found.gutenberg) {
    throw new Wasm2VecError(
      'NOT_FOUND',
      `--corpus gutenberg: data/${GUTENBERG_HEAD} is not in this installation ` +
        '(the npm package ships only the fairy tales; a clone of the repository has it)',
    );
  }
  if (found.gutenberg && flag !== 'fairytales') return { corpus: demoCorpus('gutenberg', found.gutenberg), fellBack: false };
  if (!found.fairytales) throw new Wasm2VecError('NOT_FOUND', `the demo corpus data/${FAIRYTALES} is missing from this installation`);
  return { corpus: demoCorpus('fairytales', found.fairytales), fellBack: flag === undefined };
}
