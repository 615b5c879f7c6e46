import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWordPairs } from '../../src/index.js';
import { sharedData } from '../helpers/data.js';

// Data suite: WordSim-353 and the Chinese WordSim sets have no clear licence, so they cannot ship.
describe('evaluation file readers', () => {
  it('read the shared similarity sets, English and Chinese', () => {
    const count = (f: string) => parseWordPairs(readFileSync(sharedData(f), 'utf8')).pairs.length;
    expect(count('en-wordsim353/EN-WS-353-ALL.txt')).toBe(353);
    expect(count('zh-wordsim-240-297/wordsim-240.txt')).toBe(240);
    expect(count('zh-wordsim-240-297/wordsim-297.txt')).toBe(297);
    const [first] = parseWordPairs(readFileSync(sharedData('zh-wordsim-240-297/wordsim-240.txt'), 'utf8')).pairs;
    expect(first[0]).toMatch(/^\p{Script=Han}+$/u);
  });
});
