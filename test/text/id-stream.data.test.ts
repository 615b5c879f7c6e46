import { describe, it, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sharedData } from '../helpers/data.js';
import { expectGzipScanLikeLines } from './id-stream-reference.js';

// Data suite: the MSRA news text has no known licence, so it cannot ship (id-stream.test.ts scans a
// shipped Chinese text the same way).

const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-idstream-data-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scanCorpus: counts', () => {
  it('counts Chinese news from a .gz file like tokenising line by line', async () => {
    const lines = gunzipSync(readFileSync(sharedData('zh-corpus-msra-news/msra_news.raw.txt.gz')))
      .toString('utf8')
      .split('\n')
      .slice(0, 3000);
    await expectGzipScanLikeLines(lines, join(dir, 'msra3000.txt.gz'));
  });
});
