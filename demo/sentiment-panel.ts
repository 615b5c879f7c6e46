/**
 * Panel 2: train the Embedding + LSTM TextClassifier on MR movie-review sentences (or a dropped TSV),
 * chart training and validation accuracy per epoch, then classify whatever is typed into the text box.
 */
import { TextClassifier, type TextClassifierEpochLogs, type TextClassifierOptions } from '../src/index.js';
import { renderLineChart, type Series } from './charts.js';
import { byId, fileDropZone, formatInt, param, setProgress, setStatus } from './dom.js';
import { parseLabelledText, splitData, type LabelledData } from './labelled-text.js';

const MR_URL = '/data/en-mr-polarity/mr.tsv';
const MR_NAMES = { 0: 'negative', 1: 'positive' };

/** Model sizes offered; "keras" is the issue's reference model (slower: about 69 MFLOP per sample). */
const MODELS: Record<'small' | 'keras', Pick<TextClassifierOptions, 'embeddingDim' | 'lstm'>> = {
  small: { embeddingDim: 64, lstm: [{ units: 64 }] },
  keras: { embeddingDim: 64, lstm: [{ units: 128, returnSequences: true }, { units: 128 }] },
};

const EXAMPLES = [
  'a gorgeous , witty , seductive movie .',
  'the plot is predictable and the jokes fall flat .',
  'an unflinching , moving portrait of a family in crisis .',
  'two hours of my life i will never get back .',
];

export function sentimentPanel(): void {
  const form = byId<HTMLFormElement>('clf-form');
  const trainBtn = byId<HTMLButtonElement>('clf-train');
  const stopBtn = byId<HTMLButtonElement>('clf-stop');
  const bar = byId('clf-bar');
  const status = byId('clf-status');
  const chart = byId<SVGSVGElement>('clf-chart');
  const sourceName = byId('clf-source-name');
  const sourceInfo = byId('clf-source-info');
  const tryBox = byId('clf-try');
  const input = byId<HTMLTextAreaElement>('clf-text');
  const verdict = byId('clf-verdict');
  const examples = byId('clf-examples');

  (form.elements.namedItem('epochs') as HTMLInputElement).value = String(param('clfEpochs', 3));
  (form.elements.namedItem('size') as HTMLSelectElement).value = param('clfModel', 'small');
  const maxTrain = param('clfRows', Infinity);

  if (typeof TextClassifier !== 'function') {
    setStatus(status, 'The sentiment classifier (TextClassifier) is not part of this build of wasm2vec yet.', 'error');
    trainBtn.disabled = true;
    return;
  }

  let dropped: LabelledData | null = null;
  let clf: TextClassifier | null = null;
  let classNames: string[] = [];
  let controller: AbortController | null = null;
  let predicting = false,
    pending = false;
  const chartOptions = {
    xLabel: 'epoch',
    xIntegers: true,
    yLabel: 'accuracy',
    yDomain: [0.4, 1] as [number, number],
    yFormat: (v: number) => `${Math.round(v * 100)}%`,
    empty: 'accuracy per epoch appears here',
  };
  renderLineChart(chart, [], chartOptions);

  fileDropZone(byId('clf-drop'), byId<HTMLInputElement>('clf-file'), async (f) => {
    try {
      dropped = parseLabelledText(await f.text(), f.name);
      sourceName.textContent = f.name;
      sourceInfo.textContent = `${formatInt(dropped.texts.length)} rows · classes: ${dropped.classNames.join(', ')}`;
      setStatus(status, 'Ready to train on your file.');
    } catch (e) {
      setStatus(status, (e as Error).message, 'error');
    }
  });
  byId('clf-reset').addEventListener('click', () => {
    dropped = null;
    sourceName.textContent = 'MR movie reviews';
    sourceInfo.textContent = 'Pang & Lee 2005 · 10,662 sentences · CC BY 4.0';
  });
  for (const text of EXAMPLES) {
    const b = Object.assign(document.createElement('button'), { type: 'button', className: 'chip', textContent: text });
    b.addEventListener('click', () => {
      input.value = text;
      void classify();
    });
    examples.append(b);
  }

  async function loadData(): Promise<LabelledData> {
    if (dropped) return dropped;
    const r = await fetch(MR_URL);
    if (!r.ok)
      throw new Error(`the MR data set is not available on this server (${MR_URL}: HTTP ${r.status}); drop a TSV file with label and text columns instead`);
    return parseLabelledText(await r.text(), 'mr.tsv', MR_NAMES);
  }

  async function classify(): Promise<void> {
    if (!clf || controller) return;
    if (predicting) {
      pending = true;
      return;
    }
    predicting = true;
    try {
      const text = input.value.trim();
      if (!text) {
        verdict.replaceChildren();
        return;
      }
      const out = await clf.predict([text]);
      const probs = out instanceof Float32Array ? [1 - out[0], out[0]] : Array.from(out[0]);
      const best = probs.indexOf(Math.max(...probs));
      verdict.replaceChildren(
        ...probs.map((p, i) => {
          const row = document.createElement('div');
          row.className = `verdict-row${i === best ? ' best' : ''}`;
          row.dataset.class = classNames[i];
          row.innerHTML = '<span class="name"></span><span class="bar"></span><span class="score"></span>';
          row.querySelector('.name')!.textContent = classNames[i];
          (row.querySelector('.bar') as HTMLElement).style.setProperty('--w', `${p * 100}%`);
          row.querySelector('.score')!.textContent = `${(p * 100).toFixed(1)} %`;
          return row;
        }),
      );
    } catch (e) {
      verdict.textContent = `Prediction failed: ${(e as Error).message}`;
    } finally {
      predicting = false;
      if (pending) {
        pending = false;
        void classify();
      }
    }
  }

  async function train(): Promise<void> {
    controller = new AbortController();
    trainBtn.disabled = true;
    stopBtn.disabled = false;
    tryBox.classList.add('disabled');
    input.disabled = true;
    clf?.dispose();
    clf = null;
    document.body.dataset.clf = 'training';
    const epochs = Number((form.elements.namedItem('epochs') as HTMLInputElement).value) || 3;
    const size = (form.elements.namedItem('size') as HTMLSelectElement).value as keyof typeof MODELS;
    const trainAcc: Series = { name: 'training', color: '#4c78a8', points: [], markers: true };
    const valAcc: Series = { name: 'validation', color: '#e4572e', points: [], markers: true };
    setProgress(bar, 0);
    renderLineChart(chart, [], chartOptions);
    let lastPaint = 0;
    try {
      setStatus(status, dropped ? `Preparing ${dropped.name}…` : 'Loading MR…');
      const data = await loadData();
      const split = splitData(data, maxTrain);
      classNames = data.classNames;
      // The example chips are MR sentences; for a dropped file, start from one of its held-out rows instead.
      examples.hidden = dropped !== null;
      if (dropped) input.value = split.validation.texts[0];
      else if (!input.value.trim()) input.value = EXAMPLES[0];
      const model = new TextClassifier({
        vocabSize: 20000,
        sequenceLength: 50,
        ...MODELS[size],
        classes: data.classNames.length,
        seed: 1,
        threads: Number(param('threads', 0)) || undefined,
      });
      clf = model;
      setStatus(
        status,
        `Training on ${formatInt(split.train.texts.length)} sentences, validating on ${formatInt(split.validation.texts.length)} (${split.how})…`,
      );
      const result = await model.fit(split.train.texts, split.train.labels, {
        epochs,
        batchSize: 32,
        validationData: [split.validation.texts, split.validation.labels],
        signal: controller.signal,
        onBatchEnd: (b) => {
          const now = performance.now();
          if (now - lastPaint < 100 && b.batch !== b.batches) return;
          lastPaint = now;
          setProgress(bar, ((b.epoch - 1) * b.batches + b.batch) / (epochs * b.batches));
          setStatus(
            status,
            `Epoch ${b.epoch}/${epochs} · batch ${b.batch}/${b.batches} · loss ${b.loss.toFixed(3)} · accuracy ${(b.accuracy * 100).toFixed(0)} %`,
          );
        },
        onEpochEnd: (l: TextClassifierEpochLogs) => {
          trainAcc.points.push([l.epoch, l.accuracy]);
          if (l.valAccuracy !== undefined) valAcc.points.push([l.epoch, l.valAccuracy]);
          renderLineChart(chart, [trainAcc, valAcc], { ...chartOptions, xDomain: [1, Math.max(2, epochs)] });
        },
      });
      const last = result.history[result.history.length - 1];
      const best = result.history.reduce((a, b) => ((b.valAccuracy ?? 0) > (a.valAccuracy ?? 0) ? b : a));
      setProgress(bar, 1);
      setStatus(
        status,
        `Validation accuracy ${((last.valAccuracy ?? 0) * 100).toFixed(1)} % after ${result.history.length} epoch${result.history.length > 1 ? 's' : ''}` +
          `${best !== last ? ` (best ${((best.valAccuracy ?? 0) * 100).toFixed(1)} % at epoch ${best.epoch})` : ''} · ${formatInt(result.samplesPerSecond)} sentences/s on ` +
          `${result.threads} thread${result.threads > 1 ? 's' : ''}${result.note ? ` · ${result.note}` : ''}`,
        'done',
      );
      tryBox.classList.remove('disabled');
      input.disabled = false;
      document.body.dataset.clf = 'trained';
    } catch (e) {
      const aborted = controller.signal.aborted;
      // Stopping mid-epoch keeps the weights of the finished epochs: still worth typing at.
      const usable = aborted && trainAcc.points.length > 0;
      setStatus(
        status,
        aborted
          ? `Stopped${usable ? ` after ${trainAcc.points.length} epoch${trainAcc.points.length > 1 ? 's' : ''}; the model is usable` : ''}.`
          : `Training failed: ${(e as Error).message}`,
        aborted ? 'info' : 'error',
      );
      document.body.dataset.clf = aborted ? 'stopped' : 'failed';
      if (usable) {
        tryBox.classList.remove('disabled');
        input.disabled = false;
      } else {
        clf?.dispose();
        clf = null;
      }
    } finally {
      trainBtn.disabled = false;
      stopBtn.disabled = true;
      controller = null;
    }
    await classify();
  }

  trainBtn.addEventListener('click', () => void train());
  stopBtn.addEventListener('click', () => controller?.abort());
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void classify(), 120);
  });
}
