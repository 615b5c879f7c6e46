import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scanCorpus, SENTENCE_END, type ScanProgress } from '../../src/text/id-stream.js';
import { Vocabulary } from '../../src/text/vocabulary.js';
import { createTokenizer, whitespaceTokenizer, type Tokenizer } from '../../src/text/tokenizer.js';
import type { Wasm2VecError } from '../../src/errors.js';
import { demoCorpusPath, repoData, repoRoot } from '../helpers/data.js';
import { asText, chunksOf, countLines, expectGzipScanLikeLines, expectedSentences, fingerprint, sentencesOf } from './id-stream-reference.js';
import { rejection, syncError } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-idstream-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fairyPath = demoCorpusPath;
const fairyText = readFileSync(fairyPath, 'utf8');
const tokenize = createTokenizer();

const fairyCounts = countLines(fairyText.split('\n'), tokenize);

describe('scanCorpus: counts', () => {
  it('counts like a straightforward loop, in first-occurrence order', async () => {
    const scanned = await scanCorpus({ path: fairyPath });
    expect([...scanned.counts]).toEqual([...fairyCounts]);
    expect(scanned.rawTokens).toBe([...fairyCounts.values()].reduce((a, b) => a + b, 0));
    await scanned.dispose();
  });

  it('counts Chinese from a .gz file like tokenising line by line', async () => {
    // 600 paragraphs of the novels ≈ the 127k characters of the 3000 MSRA news lines that
    // id-stream.data.test.ts scans the same way (MSRA is not redistributable).
    const lines = gunzipSync(readFileSync(repoData('zh-classic-novels-head/novels.raw.txt.gz')))
      .toString('utf8')
      .split('\n')
      .slice(0, 600);
    await expectGzipScanLikeLines(lines, join(dir, 'novels600.txt.gz'));
  });
});

describe('IdStream', () => {
  it('encodes sentences per line with final ids, dropping out-of-vocabulary words, identically on every pass', async () => {
    const scanned = await scanCorpus(fairyText);
    const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 5 });
    const stream = scanned.encode(vocab, { chunkTokens: 4096 });
    const first = await chunksOf(stream);
    const second = await chunksOf(stream);
    expect(fingerprint(second)).toEqual(fingerprint(first));
    // Fresh arrays each pass: the caller may keep, transfer or overwrite them.
    expect(second[0]).not.toBe(first[0]);

    const sentences = sentencesOf(first);
    expect(asText(sentences)).toBe(asText(expectedSentences(fairyText.split('\n'), tokenize, vocab, 1000)));
    const inVocab = sentences.reduce((s, x) => s + x.length, 0);
    expect(stream.tokens).toBe(inVocab);
    expect(stream.tokens).toBe(vocab.totalCount);
    expect(stream.rawTokens).toBe(scanned.rawTokens);
    expect(stream.tokens).toBeLessThan(stream.rawTokens);
    await scanned.dispose();
  });

  it('cuts chunks at sentence ends, at least chunkTokens long and over it by less than one sentence', async () => {
    const scanned = await scanCorpus(fairyText);
    const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 1 });
    for (const [chunkTokens, maxSentenceLength] of [
      [1000, 50],
      [16384, 1000],
      [1, 3],
    ]) {
      const chunks = await chunksOf(scanned.encode(vocab, { chunkTokens, maxSentenceLength }));
      expect(chunks.length).toBeGreaterThan(1);
      const bad = chunks.findIndex(
        (c, i) => c.at(-1) !== SENTENCE_END || c.length >= chunkTokens + maxSentenceLength + 1 || (i < chunks.length - 1 && c.length < chunkTokens),
      );
      expect({ chunkTokens, maxSentenceLength, bad, chunk: Array.from(chunks[bad] ?? []) }).toEqual({ chunkTokens, maxSentenceLength, bad: -1, chunk: [] });
      expect(Math.max(...sentencesOf(chunks).map((s) => s.length))).toBeLessThanOrEqual(maxSentenceLength);
    }
    await scanned.dispose();
  });

  it('splits text8 lines (one book each) into sentences of 1000 in-vocabulary tokens', async () => {
    const text = readFileSync(repoData('demo-fairytales-text8/corpus.text8.txt'), 'utf8');
    const scanned = await scanCorpus({ path: repoData('demo-fairytales-text8/corpus.text8.txt') }, { tokenizer: whitespaceTokenizer });
    expect(scanned.rawTokens).toBe(298_756); // MANIFEST
    const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 3 });
    const sentences = sentencesOf(await chunksOf(scanned.encode(vocab)));
    const books = text.split('\n').filter(Boolean);
    expect(books.length).toBe(3);
    const perBook = books.map((b) => whitespaceTokenizer(b).filter((w) => vocab.has(w)).length);
    expect(sentences.length).toBe(perBook.reduce((s, n) => s + Math.ceil(n / 1000), 0));
    expect(sentences.filter((s) => s.length !== 1000).length).toBe(3); // one short tail per book
    expect(asText(sentences)).toBe(asText(expectedSentences(books, whitespaceTokenizer, vocab, 1000)));
    await scanned.dispose();
  });

  it('drops sentences with no in-vocabulary word instead of emitting empty ones', async () => {
    const scanned = await scanCorpus('a b a\nzz qq\n\na c a\nonly rare\nb');
    const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 2 });
    expect(vocab.words).toEqual(['a', 'b']);
    const chunks = await chunksOf(scanned.encode(vocab));
    expect(chunks.map((c) => Array.from(c))).toEqual([[0, 1, 0, -1, 0, 0, -1, 1, -1]]);
  });

  it('reads a one-shot stream once and still re-iterates every epoch', async () => {
    const source = Readable.from(fairyText.match(/[\s\S]{1,4000}/g)!.map((s) => Buffer.from(s)));
    const scanned = await scanCorpus(source);
    const fromText = await scanCorpus(fairyText);
    const vocab = Vocabulary.fromCounts(fromText.counts);
    const a = fingerprint(await chunksOf(scanned.encode(vocab)));
    expect(fingerprint(await chunksOf(scanned.encode(vocab)))).toEqual(a);
    expect(fingerprint(await chunksOf(fromText.encode(vocab)))).toEqual(a);
    await scanned.dispose();
    await fromText.dispose();
  });
});

describe('scanCorpus: memory', () => {
  it('does not keep the text of 1 MB pieces alive through its word map', () => {
    // Each document is ~1 MB with one long (sliced-substring) word; keeping the words must not keep
    // the documents: 40 of them would pin ~40 MB of heap. Needs --expose-gc, hence a child process.
    const script = join(dir, 'retain-script.mts');
    writeFileSync(
      script,
      `import { scanCorpus } from ${JSON.stringify(join(repoRoot, 'src', 'text', 'id-stream.ts'))};
       const gc = (globalThis as unknown as { gc: () => void }).gc;
       gc();
       const before = process.memoryUsage().heapUsed;
       function* docs() { for (let i = 0; i < 40; i++) yield '. '.repeat(500_000) + ' longuniqueword' + i + ' '; }
       const scanned = await scanCorpus(docs());
       gc();
       console.log(JSON.stringify({ tokens: scanned.rawTokens, retainedMB: (process.memoryUsage().heapUsed - before) / 2 ** 20 }));`,
    );
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', cwd: repoRoot }));
    expect(out.tokens).toBe(40);
    expect(out.retainedMB).toBeLessThan(10);
  });
});

describe('scanCorpus: spilling past memoryBudget', () => {
  it('gives the same chunks from a temp file as from memory, and deletes the file on dispose', async () => {
    const inMemory = await scanCorpus(fairyText);
    const vocab = Vocabulary.fromCounts(inMemory.counts);
    const expected = fingerprint(await chunksOf(inMemory.encode(vocab)));
    await inMemory.dispose();

    // 0: everything on disk. 500 000 bytes: the first 256 KiB chunk in memory, the rest on disk, and
    // the last (230 KB) chunk would fit in memory again but must follow the others into the file.
    for (const memoryBudget of [0, 500_000]) {
      const tempDir = mkdtempSync(join(dir, 'spill-'));
      const scanned = await scanCorpus(fairyText, { memoryBudget, tempDir });
      const files = readdirSync(tempDir);
      expect(files.length).toBe(1);
      // 4 bytes per token and line end, minus what stayed in memory.
      expect(readFileSync(join(tempDir, files[0])).length).toBeGreaterThan(scanned.rawTokens * 4 - memoryBudget);
      expect([...scanned.counts]).toEqual([...fairyCounts]);
      const stream = scanned.encode(vocab);
      expect(fingerprint(await chunksOf(stream))).toEqual(expected);
      // Two epochs at once each read their own handle.
      const [x, y] = await Promise.all([chunksOf(stream), chunksOf(stream)]);
      expect(fingerprint(x)).toEqual(expected);
      expect(fingerprint(y)).toEqual(expected);
      await scanned.dispose();
      expect(readdirSync(tempDir)).toEqual([]);
      await scanned.dispose(); // idempotent
      expect(() => scanned.encode(vocab)).toThrow(/disposed/);
      expect((await rejection(chunksOf(stream))).message).toMatch(/disposed/);
    }
  });

  it('deletes the spill file when scanning fails midway (abort)', async () => {
    const tempDir = mkdtempSync(join(dir, 'abort-'));
    const controller = new AbortController();
    let sawFile = false;
    const err = await rejection(
      scanCorpus(fairyText, {
        memoryBudget: 0,
        tempDir,
        signal: controller.signal,
        onProgress: () => {
          sawFile ||= readdirSync(tempDir).length === 1;
          controller.abort();
        },
      }),
    );
    expect(err.code).toBe('ABORTED');
    expect(sawFile).toBe(true);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('deletes the spill file when the process exits without dispose()', () => {
    const tempDir = mkdtempSync(join(dir, 'exit-'));
    const script = join(dir, 'exit-script.mts');
    const idStream = join(repoRoot, 'src', 'text', 'id-stream.ts');
    writeFileSync(
      script,
      `import { scanCorpus } from ${JSON.stringify(idStream)};
       import { readdirSync } from 'node:fs';
       await scanCorpus('alpha beta gamma\\n'.repeat(50000), { memoryBudget: 0, tempDir: ${JSON.stringify(tempDir)} });
       console.log(readdirSync(${JSON.stringify(tempDir)}).length);
       process.exit(0);`,
    );
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const out = execFileSync(process.execPath, [tsx, script], { encoding: 'utf8' });
    expect(out.trim()).toBe('1'); // the file existed while running...
    expect(readdirSync(tempDir)).toEqual([]); // ...and is gone after exit
  });

  it('without Node (a browser) fails with MEMORY_LIMIT naming the budget and tokens so far', async () => {
    const saved = Object.getOwnPropertyDescriptor(process, 'versions')!;
    Object.defineProperty(process, 'versions', { value: {}, configurable: true });
    let err: Wasm2VecError;
    try {
      err = await rejection(scanCorpus('word '.repeat(70_000), { memoryBudget: 1000 }));
    } finally {
      Object.defineProperty(process, 'versions', saved);
    }
    expect(err.code).toBe('MEMORY_LIMIT');
    expect(err.message).toMatch(/memoryBudget=1000 bytes after 65536 tokens/);
  });

  it('names an unusable tempDir', async () => {
    const missing = join(dir, 'does-not-exist');
    const err = await rejection(scanCorpus('a b c', { memoryBudget: 0, tempDir: missing }));
    expect(err.code).toBe('IO');
    expect(err.message).toContain(missing);
  });
});

describe('scanCorpus: progress and errors', () => {
  it('reports growing token counts and file bytes', async () => {
    const reports: ScanProgress[] = [];
    const scanned = await scanCorpus({ path: fairyPath }, { onProgress: (p) => reports.push({ ...p }) });
    expect(reports.length).toBeGreaterThan(3);
    for (let i = 1; i < reports.length; i++) expect(reports[i].tokens).toBeGreaterThan(reports[i - 1].tokens);
    expect(reports.at(-1)!.tokens).toBe(scanned.rawTokens);
    expect(reports.at(-1)!.bytes).toBe(1_575_312);
    expect(reports.at(-1)!.totalBytes).toBe(1_575_312);
    await scanned.dispose();
  });

  it('throws EMPTY_CORPUS when there are no tokens', async () => {
    expect((await rejection(scanCorpus(''))).message).toMatch(/empty/);
    const err = await rejection(scanCorpus('... !!!\n— ?\n'));
    expect(err.code).toBe('EMPTY_CORPUS');
    expect(err.message).toMatch(/2 lines \(10 characters\) gave no tokens/);
    expect((await rejection(scanCorpus([]))).code).toBe('EMPTY_CORPUS');
  });

  it('rejects a tokenizer that does not return strings', async () => {
    const notArray = await rejection(scanCorpus('a b', { tokenizer: (() => 'a b') as unknown as Tokenizer }));
    expect(notArray.message).toMatch(/tokenizer: must return an array of strings, returned "a b"/);
    const numbers = await rejection(scanCorpus('a b', { tokenizer: (() => ['a', 7]) as unknown as Tokenizer }));
    expect(numbers.message).toMatch(/returned 7 at index 1/);
  });

  it('validates options', async () => {
    const cases: [object, RegExp][] = [
      [{ memoryBudget: -1 }, /memoryBudget/],
      [{ memoryBudget: 1.5 }, /memoryBudget/],
      [{ tempDir: '' }, /tempDir/],
      [{ tokenizer: 'words' }, /tokenizer/],
      [{ onProgress: 1 }, /onProgress/],
      [{ signal: {} }, /signal/],
    ];
    for (const [options, message] of cases) {
      const err = await rejection(scanCorpus('a b', options as never));
      expect(err.code).toBe('INVALID_OPTION');
      expect(err.message).toMatch(message);
    }
    expect((await rejection(scanCorpus(42 as never))).message).toMatch(/corpus: expected text/);

    const scanned = await scanCorpus('a b a b');
    const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 1 });
    expect(syncError(() => scanned.encode(null as never)).message).toMatch(/vocab/);
    expect(syncError(() => scanned.encode(vocab, { maxSentenceLength: 0 })).message).toMatch(/maxSentenceLength/);
    expect(syncError(() => scanned.encode(vocab, { chunkTokens: 2.5 })).message).toMatch(/chunkTokens/);
    await scanned.dispose();
  });

  it('aborts with ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(scanCorpus('a b', { signal: controller.signal }))).code).toBe('ABORTED');
  });
});
