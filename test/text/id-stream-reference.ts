/** Reference implementations the IdStream tests compare against (id-stream.test.ts, id-stream.data.test.ts). */
import { expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { scanCorpus, SENTENCE_END, type IdStream } from '../../src/text/id-stream.js';
import { Vocabulary } from '../../src/text/vocabulary.js';
import { createTokenizer, type Tokenizer } from '../../src/text/tokenizer.js';

export function countLines(lines: string[], tok: Tokenizer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) for (const t of tok(line)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

export async function chunksOf(stream: IdStream): Promise<Int32Array[]> {
  const out: Int32Array[] = [];
  for await (const c of stream.chunks()) out.push(c);
  return out;
}

/** Chunk lengths plus a hash of the contents: exact and fast to compare (deep-equal of 300k entries is slow). */
export function fingerprint(chunks: Int32Array[]): { lengths: string; sha256: string } {
  const hash = createHash('sha256');
  for (const c of chunks) hash.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  return { lengths: chunks.map((c) => c.length).join(','), sha256: hash.digest('hex') };
}

/** Sentences as one string per corpus, compared with toBe (fast; a diff only on failure). */
export function asText(sentences: number[][]): string {
  return sentences.map((s) => s.join(' ')).join('\n');
}

export function sentencesOf(chunks: Int32Array[]): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (const c of chunks) {
    for (const id of c) {
      if (id === SENTENCE_END) {
        out.push(cur);
        cur = [];
      } else cur.push(id);
    }
  }
  expect(cur).toEqual([]); // every chunk ends with a separator
  return out;
}

/** The sentences a straightforward implementation would produce. */
export function expectedSentences(lines: string[], tok: Tokenizer, vocab: Vocabulary, maxLen: number): number[][] {
  const out: number[][] = [];
  for (const line of lines) {
    const ids = tok(line)
      .map((w) => vocab.id(w))
      .filter((id) => id >= 0);
    for (let i = 0; i < ids.length; i += maxLen) out.push(ids.slice(i, i + maxLen));
  }
  return out;
}

/** Writes `lines` gzipped to `gzPath`; scanning that file must count and encode exactly as tokenising line by line. */
export async function expectGzipScanLikeLines(lines: string[], gzPath: string): Promise<void> {
  const tokenize = createTokenizer();
  writeFileSync(gzPath, gzipSync(lines.join('\n')));
  const scanned = await scanCorpus({ path: gzPath });
  expect([...scanned.counts]).toEqual([...countLines(lines, tokenize)]);
  const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 2 });
  const chunks = await chunksOf(scanned.encode(vocab));
  expect(asText(sentencesOf(chunks))).toBe(asText(expectedSentences(lines, tokenize, vocab, 1000)));
  await scanned.dispose();
}
