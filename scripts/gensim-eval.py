#!/usr/bin/python3
"""Reference evaluation with gensim (Debian python3-gensim): WordSim-353 Spearman and Google analogies
(restrict_vocab=30000), the protocol of ../shared/data/README.md.  Usage: gensim-eval.py vectors.txt [pairs] [analogies]"""
import json, sys, logging
from gensim.models import KeyedVectors
logging.disable(logging.WARNING)
path = sys.argv[1]
pairs = sys.argv[2] if len(sys.argv) > 2 else '../shared/data/en-wordsim353/EN-WS-353-ALL.txt'
analogies = sys.argv[3] if len(sys.argv) > 3 else '../shared/data/en-google-analogy/questions-words.txt'
kv = KeyedVectors.load_word2vec_format(path, binary=path.endswith('.bin'))
pearson, spearman, oov = kv.evaluate_word_pairs(pairs, delimiter='\t', case_insensitive=True)
score, sections = kv.evaluate_word_analogies(analogies, restrict_vocab=30000, case_insensitive=True)
def acc(secs):
    c = sum(len(s['correct']) for s in secs); t = c + sum(len(s['incorrect']) for s in secs)
    return c / t if t else 0.0
sem = [s for s in sections if not s['section'].startswith('gram') and s['section'] != 'Total accuracy']
syn = [s for s in sections if s['section'].startswith('gram')]
total = [s for s in sections if s['section'] == 'Total accuracy'][0]
print(json.dumps({'vectors': path, 'spearman': spearman.correlation, 'pearson': pearson[0], 'oovRatio': oov,
  'analogy': score, 'semantic': acc(sem), 'syntactic': acc(syn), 'covered': len(total['correct']) + len(total['incorrect'])}))
