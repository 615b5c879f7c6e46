import { Wasm2VecError, describe, invalidOption } from '../errors.js';
import { intOption } from '../options.js';

/**
 * The words a model knows, with their corpus counts. Ids are positions in `words`, which is sorted
 * by count descending, so id 0 is the most frequent word, as in word2vec.c. Words of equal count
 * are in UTF-16 code-unit order (JavaScript's `<` on strings), never in order of first occurrence:
 * which words survive a minCount / maxVocab cut must not depend on where they appear in the corpus
 * (a label-sorted training file would otherwise drop only the rare words of its last class).
 * GloVe's vocab_count also lists equal counts alphabetically (by a C byte comparison, so non-ASCII
 * words can sort otherwise than here). Immutable once built.
 */

/**
 * The library's order-independent tie rule for words and string labels: UTF-16 code-unit order,
 * i.e. plain `<` on JavaScript strings (not localeCompare, which varies between engines and locales).
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface VocabularyOptions {
  /** Drop words occurring fewer times (default 5, like word2vec.c). */
  minCount?: number;
  /** Keep at most this many words (the most frequent after minCount; equal counts in UTF-16 order). */
  maxVocab?: number;
}

export interface VocabularyJSON {
  words: string[];
  counts: number[];
}

export class Vocabulary {
  /** Frozen: ids are positions in this array. */
  readonly words: string[];
  /** Float64 because counts of a large corpus can exceed 2^32. */
  readonly counts: Float64Array;
  /** Sum of the kept words' counts. */
  readonly totalCount: number;
  private readonly index: Map<string, number>;

  /**
   * Words in id order with their counts. Prefer fromCounts / fromJSON; this validates like fromJSON
   * (non-empty distinct strings, finite counts >= 0) but keeps the given order.
   */
  constructor(words: readonly string[], counts: ArrayLike<number>) {
    if (!Array.isArray(words)) throw new Wasm2VecError('BAD_FORMAT', `vocabulary: words must be an array of strings, got ${describe(words)}`);
    if (counts == null || typeof counts.length !== 'number') {
      throw new Wasm2VecError('BAD_FORMAT', `vocabulary: counts must be an array of numbers, got ${describe(counts)}`);
    }
    if (counts.length !== words.length) {
      throw new Wasm2VecError('BAD_FORMAT', `vocabulary: ${words.length} words but ${counts.length} counts`);
    }
    const index = new Map<string, number>();
    const countArray = new Float64Array(words.length);
    let total = 0;
    for (let i = 0; i < words.length; i++) {
      const word = words[i];
      if (typeof word !== 'string' || word === '') {
        throw new Wasm2VecError('BAD_FORMAT', `vocabulary: word ${i} is ${describe(word)}, expected a non-empty string`);
      }
      if (index.has(word)) {
        throw new Wasm2VecError('BAD_FORMAT', `vocabulary: duplicate word ${JSON.stringify(word)} at ids ${index.get(word)} and ${i}`);
      }
      const count = counts[i];
      if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
        throw new Wasm2VecError('BAD_FORMAT', `vocabulary: count of ${JSON.stringify(word)} (id ${i}) is ${describe(count)}, expected a finite number >= 0`);
      }
      index.set(word, i);
      countArray[i] = count;
      total += count;
    }
    this.words = Object.freeze(words.slice()) as string[];
    this.counts = countArray;
    this.totalCount = total;
    this.index = index;
  }

  get size(): number {
    return this.words.length;
  }

  /** @internal The word → id map, shared (not copied) by Embeddings built over this vocabulary; both are immutable. */
  get wordIndex(): ReadonlyMap<string, number> {
    return this.index;
  }

  /** The word's id, or -1 if it is not in the vocabulary. */
  id(word: string): number {
    return this.index.get(word) ?? -1;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  word(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.words.length) {
      throw new Wasm2VecError('NOT_FOUND', `vocabulary: no word with id ${describe(id)} (ids are 0..${this.words.length - 1})`);
    }
    return this.words[id];
  }

  /**
   * Builds a vocabulary from corpus counts: keeps words with count >= minCount, then the maxVocab
   * most frequent of those, equal counts in UTF-16 code-unit order of the word. The Map's insertion
   * order does not matter.
   */
  static fromCounts(counts: Map<string, number>, options: VocabularyOptions = {}): Vocabulary {
    if (!(counts instanceof Map)) invalidOption('counts', counts, 'a Map from word to count');
    if (typeof options !== 'object' || options === null) invalidOption('vocabulary options', options, 'an object');
    const minCount = intOption('minCount', options.minCount, 5, 1);
    const maxVocab = options.maxVocab === undefined ? Infinity : intOption('maxVocab', options.maxVocab, 0, 1);

    const kept: { word: string; count: number }[] = [];
    let bestWord = '';
    let bestCount = -1;
    for (const [word, count] of counts) {
      if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
        throw new Wasm2VecError('BAD_FORMAT', `vocabulary: count of ${JSON.stringify(word)} is ${describe(count)}, expected a finite number >= 0`);
      }
      if (count > bestCount || (count === bestCount && word < bestWord)) {
        bestCount = count;
        bestWord = word;
      }
      if (count >= minCount) kept.push({ word, count });
    }
    if (kept.length === 0) {
      throw new Wasm2VecError(
        'EMPTY_VOCABULARY',
        counts.size === 0
          ? `no word occurs at least minCount=${minCount} times; the corpus has no words`
          : `no word occurs at least minCount=${minCount} times; the corpus has ${counts.size} distinct words, ` +
              `the most frequent ${JSON.stringify(bestWord)} occurs ${bestCount} times (lower minCount or use a larger corpus)`,
      );
    }
    kept.sort((a, b) => b.count - a.count || compareCodeUnits(a.word, b.word));
    if (kept.length > maxVocab) kept.length = maxVocab;
    return new Vocabulary(
      kept.map((k) => k.word),
      kept.map((k) => k.count),
    );
  }

  toJSON(): VocabularyJSON {
    return { words: this.words.slice(), counts: Array.from(this.counts) };
  }

  /** Restores a saved vocabulary in its saved id order; malformed data throws BAD_FORMAT. */
  static fromJSON(json: unknown): Vocabulary {
    if (typeof json === 'string') {
      try {
        json = JSON.parse(json);
      } catch (err) {
        throw new Wasm2VecError('BAD_FORMAT', `vocabulary: not valid JSON (${(err as Error).message})`, { cause: err });
      }
    }
    if (typeof json !== 'object' || json === null) {
      throw new Wasm2VecError('BAD_FORMAT', `vocabulary: expected an object { words, counts }, got ${describe(json)}`);
    }
    const { words, counts } = json as Partial<VocabularyJSON>;
    if (!Array.isArray(words)) throw new Wasm2VecError('BAD_FORMAT', `vocabulary: "words" must be an array of strings, got ${describe(words)}`);
    if (!Array.isArray(counts)) throw new Wasm2VecError('BAD_FORMAT', `vocabulary: "counts" must be an array of numbers, got ${describe(counts)}`);
    return new Vocabulary(words, counts);
  }
}
