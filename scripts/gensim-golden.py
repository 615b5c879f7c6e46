#!/usr/bin/python3
"""Golden outputs from gensim (Debian python3-gensim 4.2, run with /usr/bin/python3) for wasm2vec's
parity tests, so CI needs no gensim.

  gensim-golden.py golden VECTORS [--pairs FILE]... [--analogies FILE] [--restrict N]... > golden.json
      Loads VECTORS (word2vec binary if it ends in .bin, else text) and records evaluate_word_pairs
      (per pairs file, case-insensitive, default and restricted vocabularies), evaluate_word_analogies
      (per --restrict, default 30000), most_similar / most_similar_cosmul / similarity / n_similarity /
      doesnt_match on a fixed set of words.

  gensim-golden.py compare VECTORS [--pairs FILE]... [--analogies FILE]
      Runs gensim and the wasm2vec CLI (`npx tsx src/cli.ts eval|similar --json`) on the same vectors
      and prints the largest differences: evaluation numbers, per-section analogy counts, and top-10
      most_similar lists for the 40 most frequent words and every 60th word after them.

  gensim-golden.py write DIR
      Writes small vector files *by gensim* (save_word2vec_format, text and binary, plus a no-header
      text file) with non-ASCII words, and DIR/expected.json with their words and float32 bit patterns.
"""
import json
import logging
import sys

import numpy as np
from gensim.models import KeyedVectors

logging.disable(logging.WARNING)


def f(x):
    return float(x)


def analogy_summary(kv, path, restrict):
    score, sections = kv.evaluate_word_analogies(path, restrict_vocab=restrict, case_insensitive=True)
    total_questions = 0
    with open(path, encoding='utf8') as fin:
        section = None
        for line in fin:
            if line.startswith(': '):
                section = True
            elif section and len(line.split()) == 4:
                total_questions += 1
    named = [s for s in sections if s['section'] != 'Total accuracy']
    def acc(secs):
        c = sum(len(s['correct']) for s in secs)
        t = c + sum(len(s['incorrect']) for s in secs)
        return c / t if t else 0.0
    return {
        'restrictVocab': restrict,
        'accuracy': score,
        'semantic': acc([s for s in named if not s['section'].startswith('gram')]),
        'syntactic': acc([s for s in named if s['section'].startswith('gram')]),
        'sections': [{'name': s['section'], 'correct': len(s['correct']), 'total': len(s['correct']) + len(s['incorrect'])} for s in named],
        'covered': sum(len(s['correct']) + len(s['incorrect']) for s in named),
        'total': total_questions,
    }


def golden(args):
    path = args[0]
    pairs, analogies, restricts = [], None, []
    i = 1
    while i < len(args):
        if args[i] == '--pairs':
            pairs.append(args[i + 1]); i += 2
        elif args[i] == '--analogies':
            analogies = args[i + 1]; i += 2
        elif args[i] == '--restrict':
            restricts.append(int(args[i + 1])); i += 2
        else:
            raise SystemExit(f'unknown argument {args[i]}')
    kv = KeyedVectors.load_word2vec_format(path, binary=path.endswith('.bin'))
    words = kv.index_to_key
    out = {'vectors': path, 'gensim': __import__('gensim').__version__, 'size': len(words), 'dim': kv.vector_size}
    out['wordPairs'] = []
    for p in pairs:
        for restrict in (300000, 500):
            pearson, spearman, oov = kv.evaluate_word_pairs(p, delimiter='\t', case_insensitive=True, restrict_vocab=restrict)
            out['wordPairs'].append({'file': p, 'restrictVocab': restrict, 'pearson': f(pearson[0]), 'spearman': f(spearman.correlation), 'oovRatio': f(oov)})
    if analogies:
        out['analogies'] = [analogy_summary(kv, analogies, r) for r in (restricts or [30000])]
    probe = words[:40] + words[40::60]
    out['mostSimilar'] = [{'positive': [w], 'topN': 10, 'result': [[x, f(s)] for x, s in kv.most_similar(positive=[w], topn=10)]} for w in probe]
    out['mostSimilar'] += [{'positive': [w], 'topN': 10, 'restrictVocab': 300, 'result': [[x, f(s)] for x, s in kv.most_similar(positive=[w], topn=10, restrict_vocab=300)]} for w in words[:20]]
    combos = [(words[i + 1], words[i + 2], words[i]) for i in range(0, 60, 3)]
    out['mostSimilar'] += [{'positive': [b, c], 'negative': [a], 'topN': 10, 'result': [[x, f(s)] for x, s in kv.most_similar(positive=[b, c], negative=[a], topn=10)]} for a, b, c in combos]
    out['cosmul'] = [{'positive': [b, c], 'negative': [a], 'topN': 10, 'result': [[x, f(s)] for x, s in kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=10)]} for a, b, c in combos[:10]]
    out['similarity'] = [[words[i], words[j], f(kv.similarity(words[i], words[j]))] for i, j in [(0, 1), (2, 30), (5, 500), (100, 2000), (7, 7), (1000, 1001)] if j < len(words)]
    out['nSimilarity'] = [[words[0:3], words[3:5], f(kv.n_similarity(words[0:3], words[3:5]))], [words[10:14], words[200:201], f(kv.n_similarity(words[10:14], words[200:201]))]]
    out['doesntMatch'] = [[ws, kv.doesnt_match(ws)] for ws in (words[0:5], words[10:20:2], [words[50], words[51], words[900]])]
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


def compare(args):
    import subprocess
    path = args[0]
    pairs = [args[i + 1] for i in range(1, len(args) - 1) if args[i] == '--pairs']
    analogies = next((args[i + 1] for i in range(1, len(args) - 1) if args[i] == '--analogies'), None)
    kv = KeyedVectors.load_word2vec_format(path, binary=path.endswith('.bin'))
    cli = ['npx', 'tsx', 'src/cli.ts']
    cmd = cli + ['eval', path, '--json'] + (['--pairs', ','.join(pairs)] if pairs else []) + (['--analogies', analogies] if analogies else [])
    ours = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    report = {'vectors': path, 'words': len(kv.index_to_key)}
    for p, r in zip(pairs, ours.get('pairs', [])):
        pearson, spearman, oov = kv.evaluate_word_pairs(p, delimiter='\t', case_insensitive=True)
        report[p] = {'spearman': [spearman.correlation, r['spearman']], 'pearson': [pearson[0], r['pearson']], 'oovRatio': [oov, r['oovRatio']]}
    if analogies:
        g = analogy_summary(kv, analogies, 30000)
        a = ours['analogies']
        report['analogies'] = {k: [g[k], a[k]] for k in ('accuracy', 'semantic', 'syntactic', 'covered', 'total')}
        report['analogies']['sectionsDiffering'] = [s['name'] for s, t in zip(g['sections'], a['sections']) if s != t]
    words = kv.index_to_key[:40] + kv.index_to_key[40::60]
    lines = subprocess.run(cli + ['similar', path, '--json', '--'] + words, check=True, capture_output=True, text=True).stdout.splitlines()
    mismatched, worst = 0, 0.0
    for w, line in zip(words, lines):
        mine = json.loads(line)['neighbours']
        theirs = kv.most_similar(positive=[w], topn=10)
        mismatched += sum(1 for m, t in zip(mine, theirs) if m['word'] != t[0])
        worst = max([worst] + [abs(m['score'] - t[1]) for m, t in zip(mine, theirs)])
    report['mostSimilar'] = {'queries': len(words), 'positionsDiffering': mismatched, 'maxScoreDifference': worst}
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write('\n')


def write(args):
    import os
    d = args[0]
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(20240601)
    words = ['the', 'naïve', 'café', 'Köln', '北京', '天安门', 'слово', 'emoji😀', 'a-b', "it's", 'UPPER', 'x' * 40, '1999', 'zero']
    dim = 7
    vecs = (rng.standard_normal((len(words), dim)) * 0.5).astype(np.float32)
    vecs[-1] = 0.0  # an all-zero row
    vecs[0, 0] = np.float32(1e-30)  # tiny values survive the text repr
    vecs[1, 1] = np.float32(-3.4e38)
    kv = KeyedVectors(dim, dtype=np.float32)
    kv.add_vectors(words, vecs)
    kv.save_word2vec_format(os.path.join(d, 'gensim-small.txt'), binary=False)
    kv.save_word2vec_format(os.path.join(d, 'gensim-small.bin'), binary=True)
    kv.save_word2vec_format(os.path.join(d, 'gensim-small-noheader.txt'), binary=False, write_header=False)
    expected = {'words': words, 'dim': dim, 'bits': [[int(b) for b in row.view(np.uint32)] for row in vecs]}
    with open(os.path.join(d, 'expected.json'), 'w', encoding='utf8') as fout:
        json.dump(expected, fout, ensure_ascii=False)
        fout.write('\n')


if __name__ == '__main__':
    commands = {'golden': golden, 'compare': compare, 'write': write}
    if len(sys.argv) < 3 or sys.argv[1] not in commands:
        raise SystemExit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])
