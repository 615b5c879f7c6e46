import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { corpusPieces, type CorpusInput, type CorpusPiece } from '../../src/text/corpus.js';
import { sharedData } from '../helpers/data.js';

// Data suite: the MSRA news text has no known licence, so it cannot ship (corpus.test.ts reads a
// shipped gzipped file the same way).

async function collect(corpus: CorpusInput): Promise<CorpusPiece[]> {
  const out: CorpusPiece[] = [];
  for await (const piece of corpusPieces(corpus)) out.push(piece);
  return out;
}

describe('corpusPieces', () => {
  it('reads the gzipped MSRA news file exactly like its text', async () => {
    const msra = sharedData('zh-corpus-msra-news/msra_news.raw.txt.gz');
    const text = gunzipSync(readFileSync(msra)).toString('utf8');
    const pieces = corpusPieces({ path: msra });
    const got = [];
    for await (const p of pieces) got.push(p);
    expect(got.length).toBe(55_289); // MANIFEST: 55,289 lines
    expect(got).toEqual(await collect(text));
    expect(pieces.totalBytes).toBe(3_021_296);
    expect(pieces.bytesRead).toBe(3_021_296);
  });
});
