import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Embeddings, LinearClassifier, TextClassifier, Vocabulary, Wasm2VecError, Word2Vec } from '../../src/index.js';
import { repoRoot } from '../helpers/data.js';
import { demoSlice } from './helpers.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|mjs|js)$/.test(name) ? [p] : [];
  });
}

/** Rewrites the JSON header of a model file (u32 length at byte 12, JSON from 16, data aligned to `align`). */
function withHeader(bytes: Uint8Array, align: number, edit: (json: string) => string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(12, true);
  const json = new TextEncoder().encode(edit(new TextDecoder().decode(bytes.subarray(16, 16 + len))));
  const oldStart = Math.ceil((16 + len) / align) * align;
  const newStart = Math.ceil((16 + json.length) / align) * align;
  const out = new Uint8Array(newStart + bytes.length - oldStart);
  out.set(bytes.subarray(0, 16));
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(bytes.subarray(oldStart), newStart);
  return out;
}

const POLLUTE = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}';
const addKeys = (json: string) => json.replace(/^\{/, `{${POLLUTE},`);

afterEach(() => {
  // Every test below fails here if any reader merged a "__proto__" key into Object.prototype.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('security', () => {
  it('no eval, new Function or Function() anywhere in src/ (workers run a constant source text, see SECURITY.md)', () => {
    const hits: string[] = [];
    for (const file of sourceFiles(join(repoRoot, 'src'))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '').replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '""');
          if (/\beval\s*\(|\bnew\s+Function\b|(^|[^.\w])Function\s*\(|\bsetTimeout\s*\(\s*["'`]|\bimportScripts\s*\(/.test(code))
            hits.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
    // The check itself sees what it should.
    expect(/\beval\s*\(/.test('const f = eval(src)')).toBe(true);
  });

  it('Vocabulary.fromJSON: "__proto__" as a key or a word pollutes nothing and is an ordinary word', () => {
    const v = Vocabulary.fromJSON(`{${POLLUTE},"words":["__proto__","constructor","toString"],"counts":[3,2,1]}`);
    expect(v.words).toEqual(['__proto__', 'constructor', 'toString']);
    expect(v.id('__proto__')).toBe(0);
    expect(v.id('hasOwnProperty')).toBe(-1);
    expect(Vocabulary.fromJSON(JSON.stringify(v.toJSON())).id('constructor')).toBe(1);
  });

  it('Embeddings: words named like Object.prototype members are plain words', async () => {
    const words = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    const e = new Embeddings(
      words,
      Float32Array.from({ length: 10 }, (_, i) => i + 1),
      2,
    );
    expect(e.has('__proto__')).toBe(true);
    expect(e.has('isPrototypeOf')).toBe(false);
    expect(() => e.vector('isPrototypeOf')).toThrow(Wasm2VecError);
    const back = await Embeddings.load(e.toBytes({ format: 'wasm2vec' }));
    expect(back.words).toEqual(words);
    expect(Array.from(back.vector('__proto__'))).toEqual([1, 2]);
  });

  it('LinearClassifier model file: "__proto__" keys in the header and as a label or word are inert', async () => {
    const texts = ['__proto__ good fun', 'constructor bad plot', 'great fun __proto__', 'awful plot'];
    const clf = new LinearClassifier({ dim: 4, epochs: 2, threads: 1 });
    await clf.fit(texts, ['__proto__', 'constructor', '__proto__', 'constructor']);
    const bytes = await clf.toBytes();
    clf.dispose();
    const edited = withHeader(bytes, 8, (json) => addKeys(json).replace('"labels":{', `"labels":{${POLLUTE},`));
    const loaded = await LinearClassifier.load(edited, { threads: 1 });
    expect(loaded.labels).toEqual(['__proto__', 'constructor']);
    const [[top]] = await loaded.predict(['__proto__ good fun']);
    expect(['__proto__', 'constructor']).toContain(top.label);
    loaded.dispose();
  });

  it('TextClassifier model file: "__proto__" keys in the header, config and vocabulary are inert', async () => {
    // minCount 1: every word, "constructor" included, gets a row (the default 2 would map the once-seen words to OOV).
    const clf = new TextClassifier({ vocabSize: 20, minCount: 1, sequenceLength: 4, embeddingDim: 2, lstm: [{ units: 2 }], threads: 1 });
    await clf.fit(['__proto__ good', 'constructor bad', 'good fun', 'bad plot'], [1, 0, 1, 0]);
    const bytes = await clf.toBytes();
    clf.dispose();
    const edited = withHeader(bytes, 4, (json) =>
      addKeys(json).replace('"config":{', `"config":{${POLLUTE},`).replace('"vocabulary":{', `"vocabulary":{${POLLUTE},`),
    );
    const loaded = await TextClassifier.load(edited, { threads: 1 });
    // (The tokenizer splits "__proto__" at the underscores: the word is "proto".)
    expect(loaded.vocabulary!.words).toEqual(clf.vocabulary!.words);
    expect(loaded.vocabulary!.id('constructor')).toBeGreaterThanOrEqual(0);
    expect(Object.getPrototypeOf(loaded.config)).toBe(Object.prototype);
    const p = await loaded.predict(['__proto__ good']);
    expect((p as Float32Array)[0]).toBeGreaterThanOrEqual(0);
    loaded.dispose();
  });

  it('Word2Vec checkpoint: a "__proto__" key among the stored options is refused as an unknown option', async () => {
    let checkpoint: Uint8Array | null = null;
    const corpus = demoSlice(40_000);
    (
      await Word2Vec.train(corpus, {
        dim: 4,
        epochs: 1,
        threads: 1,
        minCount: 3,
        checkpoint: (c) => {
          checkpoint = c.bytes;
        },
      })
    ).dispose();
    // The header is checksummed: recompute the FNV-1a sum so the parser behind it is what refuses.
    const edited = withHeader(checkpoint!, 8, (json) => addKeys(json).replace('"options":{', `"options":{${POLLUTE},`));
    const view = new DataView(edited.buffer);
    let h = 0x811c9dc5;
    for (let i = 0; i < (edited.length - 4) / 4; i++) h = Math.imul(h ^ view.getUint32(i * 4, true), 0x01000193);
    view.setUint32(edited.length - 4, h >>> 0, true);
    const e = await Word2Vec.train(corpus, { resumeFrom: edited, threads: 1 }).then(
      () => null,
      (x: unknown) => x,
    );
    expect((e as Wasm2VecError).code).toBe('BAD_FORMAT');
    expect((e as Wasm2VecError).message).toMatch(/stored options: Word2Vec\.train: unknown option "__proto__"/);
  });
});
