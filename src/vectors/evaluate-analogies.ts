import { Wasm2VecError, describe } from '../errors.js';
import { boolOption, intOption } from '../options.js';
import type { WordVectors } from './word-vectors.js';
import { parseAnalogies, readTextFile, type AnalogySection } from './eval-files.js';
import { knownWords } from './evaluate-pairs.js';

export interface AnalogyOptions {
  /** Questions count only when all four words are among the first N words, which are also the only
   * candidate answers (default 30000, the word2vec compute-accuracy protocol; gensim's default is 300000). */
  restrictVocab?: number;
  /** Compare words upper-cased, the most frequent case variant winning (default true, as gensim). */
  caseInsensitive?: boolean;
  /** Count questions with unknown words as wrong instead of skipping them (default false). */
  dummy4unknown?: boolean;
  /** Worker threads for the nearest-neighbour searches (default: all cores). */
  threads?: number;
}

export interface AnalogySectionResult {
  name: string;
  correct: number;
  total: number;
}

export interface AnalogyResult {
  /** Correct / evaluated questions over all sections (a fraction; 0 when nothing was evaluated). */
  accuracy: number;
  /** Accuracy over the sections whose name does not start with "gram" (word2vec's convention). */
  semantic: number;
  /** Accuracy over the "gram…" sections. */
  syntactic: number;
  /** Every section in file order; total = evaluated questions (plus unknown ones with dummy4unknown). */
  sections: AnalogySectionResult[];
  /** Questions whose four words were all known. */
  covered: number;
  /** Questions read. */
  total: number;
}

const KNOWN = new Set(['restrictVocab', 'caseInsensitive', 'dummy4unknown', 'threads']);
/** gensim asks most_similar for its top 5 and takes the first that is not a query word. */
const TOP = 5;

/**
 * gensim's evaluate_word_analogies, batched: for each covered question a:b :: c:?, the query is the
 * normalised mean of b̂ + ĉ − â; among the top 5 + 3 rows of the restricted vocabulary (query rows
 * removed, as most_similar does) the first whose upper-cased form is not a, b or c is the prediction.
 */
export async function evaluateAnalogies(
  e: WordVectors,
  pathOrQuestions: string | readonly AnalogySection[],
  options: AnalogyOptions = {},
): Promise<AnalogyResult> {
  if (typeof options !== 'object' || options === null) throw new Wasm2VecError('INVALID_OPTION', 'evaluateAnalogies: options must be an object');
  for (const k of Object.keys(options)) if (!KNOWN.has(k)) throw new Wasm2VecError('INVALID_OPTION', `evaluateAnalogies: unknown option ${JSON.stringify(k)}`);
  const restrict = intOption('restrictVocab', options.restrictVocab, 30000, 1);
  const caseInsensitive = boolOption('caseInsensitive', options.caseInsensitive, true);
  const dummy = boolOption('dummy4unknown', options.dummy4unknown, false);
  const threads = options.threads === undefined ? 256 : intOption('threads', options.threads, 1, 1, 256);
  let sections: readonly AnalogySection[];
  if (typeof pathOrQuestions === 'string') sections = parseAnalogies(await readTextFile(pathOrQuestions, 'analogies'), pathOrQuestions).sections;
  else if (Array.isArray(pathOrQuestions)) {
    sections = pathOrQuestions;
    sections.forEach((s, i) => {
      if (!s || typeof s.name !== 'string' || !Array.isArray(s.questions)) {
        throw new Wasm2VecError('INVALID_OPTION', `evaluateAnalogies: section ${i} must be { name, questions: [a, b, c, d][] }, got ${describe(s)}`);
      }
      s.questions.forEach((q, j) => {
        if (!Array.isArray(q) || q.length !== 4 || q.some((w) => typeof w !== 'string')) {
          throw new Wasm2VecError(
            'INVALID_OPTION',
            `evaluateAnalogies: question ${j} of section ${JSON.stringify(s.name)} must be 4 words, got ${describe(q)}`,
          );
        }
      });
    });
  } else {
    throw new Wasm2VecError('INVALID_OPTION', `evaluateAnalogies: expected a file path or sections of questions, got ${describe(pathOrQuestions)}`);
  }

  const ok = knownWords(e, restrict, caseInsensitive);
  const limit = Math.min(e.size, restrict);
  const d = e.dim;
  const unit = e.normalized();
  const norm = (w: string) => (caseInsensitive ? w.toUpperCase() : w);

  // Gather the covered questions and their query vectors.
  const results: AnalogySectionResult[] = sections.map((s) => ({ name: s.name, correct: 0, total: 0 }));
  const asked: { section: number; rows: [number, number, number]; keys: [string, string, string]; expected: string }[] = [];
  let total = 0;
  sections.forEach((s, si) => {
    for (const q of s.questions) {
      total++;
      const [a, b, c, expected] = q.map(norm);
      const ia = ok.get(a),
        ib = ok.get(b),
        ic = ok.get(c);
      if (ia === undefined || ib === undefined || ic === undefined || !ok.has(expected)) {
        if (dummy) results[si].total++;
        continue;
      }
      asked.push({ section: si, rows: [ia, ib, ic], keys: [a, b, c], expected });
    }
  });
  const queries = new Float32Array(asked.length * d);
  const m = new Float64Array(d);
  asked.forEach((q, i) => {
    const [ia, ib, ic] = q.rows;
    let n = 0;
    for (let k = 0; k < d; k++) {
      m[k] = unit[ib * d + k] + unit[ic * d + k] - unit[ia * d + k];
      n += m[k] * m[k];
    }
    n = Math.sqrt(n);
    for (let k = 0; k < d; k++) queries[i * d + k] = n > 0 ? m[k] / n : 0;
  });
  const k = Math.min(TOP + 3, limit);
  const top = asked.length ? await e.topKRows(queries, asked.length, k, limit, threads) : null;

  let covered = 0;
  asked.forEach((q, i) => {
    covered++;
    const r = results[q.section];
    r.total++;
    let predicted: string | null = null;
    let taken = 0;
    for (let j = 0; j < k && taken < TOP; j++) {
      const row = top!.rows[i * k + j];
      if (row < 0) break;
      if (q.rows.includes(row)) continue; // most_similar never returns its own query rows
      taken++;
      predicted = norm(e.words[row]);
      if (ok.has(predicted) && !q.keys.includes(predicted)) break;
    }
    if (predicted === q.expected) r.correct++;
  });

  const sum = (pick: (s: AnalogySectionResult) => boolean) => {
    let c = 0,
      t = 0;
    for (const s of results)
      if (pick(s)) {
        c += s.correct;
        t += s.total;
      }
    return t ? c / t : 0;
  };
  return {
    accuracy: sum(() => true),
    semantic: sum((s) => !s.name.startsWith('gram')),
    syntactic: sum((s) => s.name.startsWith('gram')),
    sections: results,
    covered,
    total,
  };
}
