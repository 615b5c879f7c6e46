import { Wasm2VecError, describe, invalidOption } from '../errors.js';
import { boolOption, knownOptions } from '../options.js';

/**
 * Turning text into word tokens.
 *
 * Rules of the default tokenizer (createTokenizer()):
 * - A token is a run of Unicode letters, digits and combining marks ([\p{L}\p{N}\p{M}]).
 *   Everything else (punctuation, symbols, whitespace) separates tokens and is dropped.
 * - An apostrophe (' or ’) between two such runs stays inside the token, so "don't" and
 *   "Hans’s" are one token each; ’ is normalised to ' so both spellings give the same word.
 *   Hyphens split: "well-known" → "well", "known" (word2vec practice: no hyphen words).
 * - Lowercased by default (String#toLowerCase, locale independent). No Unicode normalisation
 *   (NFC/NFD) is applied, like word2vec.c.
 * - Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) are
 *   split into words by Intl.Segmenter (ICU dictionaries), keeping only word-like segments:
 *   我爱北京天安门 → 我 | 爱 | 北京 | 天安门. Digits and Latin words embedded in such text go
 *   through the ordinary rules above, so "1998年" → "1998" | "年".
 *
 * Speed: ICU's segmenter is super-linear in the length of the string it is given (a 1.5 MB
 * string never finishes; ~256 chars is its sweet spot), so it only ever sees runs of those
 * scripts cut into short chunks at punctuation/whitespace. Text without such characters never
 * touches it and takes a regex path (pure ASCII even a simpler regex).
 */

export interface TokenizerOptions {
  /** Lowercase tokens (default true). */
  lowercase?: boolean;
  /** Intl.Segmenter locale used for scripts written without spaces (default 'zh'). */
  locale?: string;
}

export type Tokenizer = (text: string) => string[];

/** Scripts written without spaces between words, plus the few Common/Inherited marks that live inside them (ー, ゙, ﾞ). */
const NO_SPACE =
  '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}' + '\\u3099-\\u309C\\u30FC\\uFF70\\uFF9E\\uFF9F';
const WORD = '\\p{L}\\p{N}\\p{M}';
/** A word character that is not in a no-space script. */
const SPACED = `(?:(?![${NO_SPACE}])[${WORD}])`;

const HAS_NO_SPACE = new RegExp(`[${NO_SPACE}]`, 'u');
const NON_ASCII = /[^\x00-\x7f]/;
/** In ASCII, [\p{L}\p{N}\p{M}] is exactly [A-Za-z0-9]; this regex is ~2x faster than the Unicode one. */
const ASCII_TOKEN = /[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*/g;
const UNICODE_TOKEN = new RegExp(`[${WORD}]+(?:'[${WORD}]+)*`, 'gu');
/**
 * Mixed text: group 1 is a run of no-space script (marks following it and punctuation/space between
 * such characters included, so one Segmenter call covers a whole clause); otherwise an ordinary word.
 */
const MIXED_TOKEN = new RegExp(`([${NO_SPACE}](?:[${NO_SPACE}\\p{M}]|[^${WORD}])*)|${SPACED}+(?:'${SPACED}+)*`, 'gu');

/** Segmenter input sizes: ~256 chars is fastest; never more than 2000 (super-linear beyond). */
const SEGMENT_TARGET = 256;
const SEGMENT_MAX = 2000;

/** Splits on whitespace only, case preserved: for text8-style and pre-segmented text (like word2vec.c). */
export const whitespaceTokenizer: Tokenizer = (text: string): string[] => {
  checkText(text);
  const tokens = text.split(/\s+/);
  // split() leaves an empty string at either end when the text starts/ends with whitespace.
  if (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop();
  if (tokens.length > 0 && tokens[0] === '') tokens.shift();
  return tokens;
};

export function createTokenizer(options: TokenizerOptions = {}): Tokenizer {
  if (typeof options !== 'object' || options === null) invalidOption('tokenizer options', options, 'an object');
  knownOptions('createTokenizer', options, ['lowercase', 'locale']);
  const lowercase = boolOption('lowercase', options.lowercase, true);
  const locale = options.locale ?? 'zh';
  if (typeof locale !== 'string' || locale === '') invalidOption('locale', locale, 'a BCP 47 locale string such as "zh"');
  const segmenter = makeSegmenter(locale);

  const segmentRun = (run: string, out: string[]): void => {
    if (segmenter === undefined) {
      throw new Wasm2VecError(
        'UNSUPPORTED',
        'tokenizer: Intl.Segmenter is not available in this JavaScript engine; it is needed to split ' +
          'Chinese/Japanese/Thai text into words. Pre-segment the text (spaces between words) and use whitespaceTokenizer.',
      );
    }
    for (let start = 0; start < run.length; ) {
      const end = run.length - start <= SEGMENT_TARGET ? run.length : segmentCut(run, start);
      for (const s of segmenter.segment(end - start === run.length ? run : run.slice(start, end))) {
        if (s.isWordLike) out.push(s.segment);
      }
      start = end;
    }
  };

  return (text: string): string[] => {
    checkText(text);
    if (lowercase) text = text.toLowerCase();
    if (text.includes('\u2019')) text = text.replaceAll('\u2019', "'");
    if (!NON_ASCII.test(text)) return text.match(ASCII_TOKEN) ?? [];
    if (!HAS_NO_SPACE.test(text)) return text.match(UNICODE_TOKEN) ?? [];
    const out: string[] = [];
    MIXED_TOKEN.lastIndex = 0;
    for (let m = MIXED_TOKEN.exec(text); m !== null; m = MIXED_TOKEN.exec(text)) {
      if (m[1] !== undefined) segmentRun(m[1], out);
      else out.push(m[0]);
    }
    return out;
  };
}

function makeSegmenter(locale: string): Intl.Segmenter | undefined {
  if (typeof Intl === 'undefined' || typeof Intl.Segmenter !== 'function') return undefined;
  try {
    return new Intl.Segmenter(locale, { granularity: 'word' });
  } catch (err) {
    return invalidOption('locale', locale, `a locale Intl.Segmenter accepts (${(err as Error).message})`);
  }
}

function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') {
    throw new Wasm2VecError('INVALID_OPTION', `tokenizer: expected a string of text, got ${describe(text)}`);
  }
}

/** End of the next Segmenter chunk of run[start..]: after a break character near SEGMENT_TARGET, else at most SEGMENT_MAX. */
function segmentCut(run: string, start: number): number {
  const target = start + SEGMENT_TARGET;
  let cut = lastBreakBefore(run, target, start);
  if (cut > start) return cut;
  cut = firstBreakAfter(run, target, Math.min(run.length, start + SEGMENT_MAX));
  if (cut > 0) return cut;
  return textCutIndex(run, start, start + SEGMENT_MAX);
}

function lastBreakBefore(text: string, end: number, start: number): number {
  for (let i = end - 1; i > start; i--) if (isBreakChar(text.charCodeAt(i))) return i + 1;
  return -1;
}

function firstBreakAfter(text: string, from: number, limit: number): number {
  for (let i = from; i < limit; i++) if (isBreakChar(text.charCodeAt(i))) return i + 1;
  return -1;
}

/**
 * Where to cut text[start..] so the piece is at most maxEnd - start chars without splitting a word
 * when avoidable: just before the last whitespace, else before the last punctuation mark, else at
 * maxEnd itself (never between the two halves of a surrogate pair). Returns an index in (start, maxEnd]
 * (maxEnd + 1 only if maxEnd - start is 1 and would split a surrogate pair).
 */
export function textCutIndex(text: string, start: number, maxEnd: number): number {
  if (maxEnd >= text.length) return text.length;
  for (let i = maxEnd; i > start; i--) if (isSpace(text.charCodeAt(i))) return i;
  for (let i = maxEnd; i > start; i--) if (isBreakChar(text.charCodeAt(i))) return i;
  const c = text.charCodeAt(maxEnd);
  if (c >= 0xdc00 && c <= 0xdfff) return maxEnd - 1 > start ? maxEnd - 1 : maxEnd + 1;
  return maxEnd;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
}

/** Whitespace or punctuation that never sits inside a word: ASCII, General Punctuation, CJK and full-width forms. */
function isBreakChar(c: number): boolean {
  if (c < 0x80) return !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 39);
  return (
    c === 0xa0 ||
    // General Punctuation, minus ’ (an apostrophe inside words) and ZWNJ/ZWJ (parts of words in some scripts).
    (c >= 0x2000 && c <= 0x206f && c !== 0x2019 && c !== 0x200c && c !== 0x200d) ||
    (c >= 0x3000 && c <= 0x3004) ||
    (c >= 0x3008 && c <= 0x3020) ||
    (c >= 0xff01 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65)
  );
}
