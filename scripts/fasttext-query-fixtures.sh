#!/usr/bin/env bash
# What fastText 0.9.2 answers to queries, for the subword embeddings' tests (test/train/fasttext/
# fasttext.test.ts): nearest neighbours, analogies and sentence vectors, at full float32 precision,
# from fastText's own library through its Python binding. Run by scripts/fasttext-fixtures.sh after it
# has written the models; can also be run alone (it only adds files).
#
#   apt-get install -y fasttext python3-fasttext      # Debian 12: 0.9.2+ds
#   bash scripts/fasttext-query-fixtures.sh
#
# The models of fasttext-fixtures.sh are trained too briefly for neighbours (their vectors are nearly
# parallel, every cosine 0.9999...: an order decided by rounding), so this trains one more, on the same
# corpus with more epochs and a higher learning rate, whose neighbours are well separated:
#   nn-skipgram.bin          the model (one thread, so a rerun writes the same file)
#   NAME.queries.json        { neighbours: [{ word, k, result: [[cosine, word], ...] }],
#                              analogies: [{ a, b, c, k, result }] (fastText's A - B + C),
#                              sentences: [{ hex, vector }] (get_sentence_vector of each line, bytes as hex) }
#                            for nn-skipgram (all three) and skipgram, cbow-hs, supervised, supervised.ftz
#                            (sentence vectors only)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=test/fixtures/fasttext
PY=/usr/bin/python3
command -v fasttext >/dev/null || { echo "needs Debian's fasttext: apt-get install -y fasttext python3-fasttext" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The unsupervised corpus of fasttext-fixtures.sh (the first 6,000 fairy-tale lines and the extra lines).
{
  head -n 6000 data/demo-fairytales/corpus.txt
  for _ in 1 2 3 4 5 6; do
    echo "the naïve king said größer things in 北京大学 😀 and drank café"
    printf 'the old caf\xe9 by the river\n'
  done
} > "$TMP/tales.txt"

fasttext skipgram -input "$TMP/tales.txt" -output "$OUT/nn-skipgram" -dim 16 -bucket 2000 -epoch 10 -lr 0.1 \
  -minn 3 -maxn 6 -minCount 5 -thread 1 -verbose 0
rm -f "$OUT/nn-skipgram.vec"

# Sentences: the classifier fixtures' lines, plus runs of tabs and spaces and words without rows.
{
  cat "$OUT/sentences.txt"
  printf 'the\t king  \x0bsaid\x0c to\r the queen\n'
  printf '   \n'
  printf 'unfathomably wasm2vecification 北京 😀😀\n'
} > "$TMP/sentences.txt"

$PY - "$OUT" "$TMP/sentences.txt" <<'EOF'
import json, sys
import fasttext
out, sentences_path = sys.argv[1], sys.argv[2]
sentences = open(sentences_path, 'rb').read().split(b'\n')[:-1]
def f32list(v):
    return [float(x) for x in v]
def sentence_vectors(model):
    # The binding refuses '\n' and adds it itself; decode as the binding would pass the line on.
    return [{'hex': s.hex(), 'vector': f32list(model.get_sentence_vector(s.decode('utf-8', 'strict')))} for s in sentences]
queries = {
    'neighbours': ['king', 'queen', 'castle', 'forest', 'gold', 'said', '</s>', 'unfathomably', 'wasm2vecification',
                   "kingdom's", 'naïveté', 'Straße', '北京', 'kings'],
    'analogies': [('king', 'man', 'woman'), ('queen', 'woman', 'man'), ('forest', 'tree', 'water'),
                  ('kingz', 'king', 'queen'), ('unfathomably', 'deep', 'castle')],
}
model = fasttext.load_model(f'{out}/nn-skipgram.bin')
doc = {
    'neighbours': [{'word': w, 'k': 10, 'result': [[float(s), x] for s, x in model.get_nearest_neighbors(w, 10)]}
                   for w in queries['neighbours']],
    'analogies': [{'a': a, 'b': b, 'c': c, 'k': 10, 'result': [[float(s), x] for s, x in model.get_analogies(a, b, c, 10)]}
                  for a, b, c in queries['analogies']],
    'sentences': sentence_vectors(model),
}
json.dump(doc, open(f'{out}/nn-skipgram.queries.json', 'w'))
for name in ['skipgram.bin', 'cbow-hs.bin', 'supervised.bin', 'supervised.ftz']:
    model = fasttext.load_model(f'{out}/{name}')
    stem = name[:-4] if name.endswith('.bin') else name
    json.dump({'neighbours': [], 'analogies': [], 'sentences': sentence_vectors(model)}, open(f'{out}/{stem}.queries.json', 'w'))
EOF
ls -l "$OUT"/*.queries.json "$OUT/nn-skipgram.bin"
