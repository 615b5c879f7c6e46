/**
 * Panel 1: train Word2Vec in workers on the fairy-tale corpus (streamed from the server) or a dropped text
 * file (streamed from disk), with a progress bar and a live loss curve; then query neighbours and
 * analogies, and plot a PCA projection of frequent words.
 */
import { Word2Vec, type Embeddings, type Word2VecProgress } from '../src/index.js';
import { renderLineChart, renderScatter, type Series } from './charts.js';
import { byId, fileDropZone, formatInt, param, renderScores, setProgress, setStatus } from './dom.js';

const CORPUS_URL = '/data/demo-fairytales/corpus.txt';
/** Tried in order for the first neighbour query and the analogy; the first in the vocabulary wins. */
const START_WORDS = ['king', 'queen', 'princess', 'gold', 'forest', 'mother'];
const START_ANALOGY: [string, string, string] = ['man', 'king', 'woman'];

export function word2vecPanel(): void {
  const form = byId<HTMLFormElement>('w2v-form');
  const trainBtn = byId<HTMLButtonElement>('w2v-train');
  const stopBtn = byId<HTMLButtonElement>('w2v-stop');
  const bar = byId('w2v-bar');
  const status = byId('w2v-status');
  const lossSvg = byId<SVGSVGElement>('w2v-loss');
  const sourceName = byId('w2v-source-name');
  const sourceInfo = byId('w2v-source-info');
  const explorer = byId('explorer');
  const nnForm = byId<HTMLFormElement>('nn-form');
  const nnWord = byId<HTMLInputElement>('nn-word');
  const nnList = byId<HTMLOListElement>('nn-list');
  const anForm = byId<HTMLFormElement>('an-form');
  const anList = byId<HTMLOListElement>('an-list');
  const scatterForm = byId<HTMLFormElement>('scatter-form');
  const scatterSvg = byId<SVGSVGElement>('scatter');
  const scatterCaption = byId('scatter-caption');
  const downloadBtn = byId<HTMLButtonElement>('w2v-download');

  for (const [name, fallback] of [
    ['model', 'skipgram'],
    ['mode', 'batched'],
    ['dim', 100],
    ['window', 5],
    ['epochs', 10],
    ['minCount', 3],
    ['threads', ''],
  ] as const) {
    (form.elements.namedItem(name) as HTMLInputElement).value = String(param(name, fallback as never));
  }
  (scatterForm.elements.namedItem('words') as HTMLInputElement).value = String(param('words', 200));
  (scatterForm.elements.namedItem('skip') as HTMLInputElement).value = String(param('skip', 30));

  let file: File | null = null;
  let model: Word2Vec | null = null;
  let controller: AbortController | null = null;
  let lastNeighbours: { query: string[]; words: string[] } = { query: [], words: [] };
  const lossOptions = { xLabel: 'epochs', yLabel: 'loss per pair', empty: 'the training loss appears here', yFormat: (v: number) => v.toFixed(2) };
  renderLineChart(lossSvg, [], lossOptions);

  fileDropZone(byId('w2v-drop'), byId<HTMLInputElement>('w2v-file'), (f) => {
    file = f;
    sourceName.textContent = f.name;
    sourceInfo.textContent = `${formatInt(f.size / 1024)} KB · your file, read as a stream in this tab`;
  });
  byId('w2v-reset').addEventListener('click', () => {
    file = null;
    sourceName.textContent = 'Fairy tales';
    sourceInfo.textContent = 'Grimm, Andersen, Lang’s Blue Fairy Book · public domain · 1.6 MB, 295k words';
  });

  const embeddings = (): Embeddings | null => model?.embeddings ?? null;
  const known = (w: string) => embeddings()?.has(w.trim().toLowerCase()) ?? false;

  const neighbours = (word: string) => {
    const e = embeddings();
    if (!e) return;
    const w = word.trim().toLowerCase();
    nnWord.value = w;
    if (!e.has(w)) {
      nnList.replaceChildren(
        Object.assign(document.createElement('li'), {
          className: 'miss',
          textContent: `“${w}” is not in the vocabulary (${formatInt(e.size)} words seen at least ${model!.options.minCount} times)`,
        }),
      );
      return;
    }
    const top = e.mostSimilar({ positive: [w], topN: 10 });
    renderScores(nnList, top, neighbours);
    lastNeighbours = { query: [w], words: top.map((t) => t.word) };
    drawScatter();
  };

  const analogy = () => {
    const e = embeddings();
    if (!e) return;
    const [a, b, c] = ['a', 'b', 'c'].map((n) => (anForm.elements.namedItem(n) as HTMLInputElement).value.trim().toLowerCase());
    const missing = [a, b, c].filter((w) => !e.has(w));
    if (missing.length) {
      anList.replaceChildren(Object.assign(document.createElement('li'), { className: 'miss', textContent: `not in the vocabulary: ${missing.join(', ')}` }));
      return;
    }
    renderScores(anList, e.analogy(a, b, c, { topN: 5 }), neighbours);
  };

  function drawScatter(): void {
    const e = embeddings();
    if (!e) return;
    const n = Math.max(2, Number((scatterForm.elements.namedItem('words') as HTMLInputElement).value) || 200);
    const skip = Math.max(0, Number((scatterForm.elements.namedItem('skip') as HTMLInputElement).value) || 0);
    const words = e.words.slice(Math.min(skip, Math.max(0, e.size - 2)), Math.min(skip, Math.max(0, e.size - 2)) + n);
    // The current query and its neighbours are projected too, so they can be highlighted wherever they rank.
    for (const w of [...lastNeighbours.query, ...lastNeighbours.words]) if (!words.includes(w)) words.push(w);
    const p = e.pca({ words, components: 2, normalize: true });
    const pct = (i: number) => `${(p.explainedVarianceRatio[i] * 100).toFixed(1)} %`;
    renderScatter(scatterSvg, p.points, p.words, {
      query: new Set(lastNeighbours.query),
      neighbours: new Set(lastNeighbours.words),
      onPick: neighbours,
      xLabel: `PC1 (${pct(0)})`,
      yLabel: `PC2 (${pct(1)})`,
    });
    const first = skip + 1,
      last = skip + Math.min(n, e.size - skip);
    scatterCaption.textContent =
      `Words ranked ${first}–${last} by frequency${lastNeighbours.query.length ? `, plus “${lastNeighbours.query[0]}” (orange) and its neighbours (red)` : ''}, ` +
      'unit-normalised and projected on their first two principal components (PCA in WebAssembly). Click a word to query it.';
  }

  async function train(): Promise<void> {
    controller = new AbortController();
    trainBtn.disabled = true;
    stopBtn.disabled = false;
    downloadBtn.disabled = true;
    explorer.classList.add('disabled');
    model?.dispose();
    model = null;
    document.body.dataset.w2v = 'training';
    const settings = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const threads = settings.threads ? Number(settings.threads) : undefined;
    const series: Series = { name: 'loss (window of recent pairs)', color: '#e4572e', points: [] };
    let prev = { epoch: 0, loss: 0, pairs: 0 };
    let note = '';
    setProgress(bar, 0);
    renderLineChart(lossSvg, [], lossOptions);
    setStatus(status, file ? `Reading ${file.name} and counting words…` : 'Streaming the corpus and counting words…');
    const onProgress = (p: Word2VecProgress) => {
      if (p.note) note = p.note;
      setProgress(bar, p.progress);
      // loss and meanLoss are running sums for the epoch: differences give the loss of the latest pairs only.
      const pairs = p.meanLoss > 0 ? p.loss / p.meanLoss : 0;
      if (p.epoch !== prev.epoch) prev = { epoch: p.epoch, loss: 0, pairs: 0 };
      if (pairs > prev.pairs) {
        series.points.push([p.progress * p.epochs, (p.loss - prev.loss) / (pairs - prev.pairs)]);
        prev = { epoch: p.epoch, loss: p.loss, pairs };
        renderLineChart(lossSvg, [series], { ...lossOptions, xDomain: [0, p.epochs] });
      }
      setStatus(
        status,
        `Epoch ${p.epoch}/${p.epochs} · ${(p.progress * 100).toFixed(0)} % · ${formatInt(p.wordsPerSecond)} words/s on ` +
          `${p.threads} thread${p.threads > 1 ? 's' : ''} · α ${p.alpha.toFixed(4)} · loss ${p.meanLoss.toFixed(3)}${note ? ` · ${note}` : ''}`,
      );
    };
    try {
      const corpus = file ? file.stream() : await fetchCorpus();
      model = await Word2Vec.train(corpus, {
        model: settings.model as 'skipgram' | 'cbow',
        mode: settings.mode as 'classic' | 'batched',
        dim: Number(settings.dim),
        window: Number(settings.window),
        epochs: Number(settings.epochs),
        minCount: Number(settings.minCount),
        threads,
        seed: 1,
        onProgress,
        signal: controller.signal,
      });
      const s = model.stats;
      setProgress(bar, s.aborted ? s.epochsCompleted / model.options.epochs : 1);
      setStatus(
        status,
        `${s.aborted ? 'Stopped early; the model is usable. ' : ''}Vocabulary ${formatInt(model.vocabulary.size)} words · ` +
          `${formatInt(s.tokens)} tokens × ${s.epochsCompleted} epoch${s.epochsCompleted === 1 ? '' : 's'} in ${s.seconds.toFixed(1)} s ` +
          `(${formatInt(s.tokensPerSecond)} words/s on ${s.threads} thread${s.threads > 1 ? 's' : ''})${note ? ` · ${note}` : ''}`,
        'done',
      );
      explorer.classList.remove('disabled');
      downloadBtn.disabled = false;
      const start = START_WORDS.find(known) ?? model.embeddings.words[Math.min(50, model.embeddings.size - 1)];
      if (START_ANALOGY.every(known))
        START_ANALOGY.forEach((w, i) => {
          (anForm.elements.namedItem(['a', 'b', 'c'][i]) as HTMLInputElement).value = w;
        });
      else
        ['a', 'b', 'c'].forEach((n, i) => {
          (anForm.elements.namedItem(n) as HTMLInputElement).value = model!.embeddings.words[Math.min(60 + i, model!.embeddings.size - 1)];
        });
      lastNeighbours = { query: [], words: [] };
      neighbours(start);
      analogy();
      document.body.dataset.w2v = 'trained';
    } catch (e) {
      setStatus(status, `Training failed: ${(e as Error).message}`, 'error');
      document.body.dataset.w2v = 'failed';
    } finally {
      trainBtn.disabled = false;
      stopBtn.disabled = true;
      controller = null;
    }
  }

  trainBtn.addEventListener('click', () => void train());
  stopBtn.addEventListener('click', () => controller?.abort());
  nnForm.addEventListener('submit', (e) => {
    e.preventDefault();
    neighbours(nnWord.value);
  });
  anForm.addEventListener('submit', (e) => {
    e.preventDefault();
    analogy();
  });
  scatterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    drawScatter();
  });
  downloadBtn.addEventListener('click', async () => {
    const e = embeddings();
    if (!e) return;
    const blob = await e.save(Blob, { format: 'word2vec-text' });
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: 'vectors.txt' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  });
}

async function fetchCorpus(): Promise<ReadableStream<Uint8Array>> {
  const r = await fetch(CORPUS_URL);
  if (!r.ok || !r.body) throw new Error(`could not load the demo corpus from ${CORPUS_URL} (HTTP ${r.status}); drop a text file instead`);
  return r.body;
}
