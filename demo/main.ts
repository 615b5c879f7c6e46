/** The demo page: says whether threads are available, then wires the two panels. */
import { byId, ignoreStrayDrops } from './dom.js';
import { sentimentPanel } from './sentiment-panel.js';
import { word2vecPanel } from './word2vec-panel.js';

const badge = byId('isolation');
const cores = navigator.hardwareConcurrency || 1;
if (globalThis.crossOriginIsolated) {
  badge.textContent = `Cross-origin isolated: training runs on ${cores} thread${cores > 1 ? 's' : ''} sharing one WebAssembly.Memory`;
  badge.dataset.kind = 'ok';
} else {
  badge.textContent =
    'Not cross-origin isolated: training runs on one thread in a worker. Serve the page with COOP/COEP headers (npm run demo does) for threads.';
  badge.dataset.kind = 'warn';
}
document.body.dataset.isolated = String(globalThis.crossOriginIsolated === true);
ignoreStrayDrops();
word2vecPanel();
sentimentPanel();
document.body.dataset.ready = 'true';
