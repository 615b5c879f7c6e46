/** DOM plumbing shared by the demo panels. */

/** The element with this id (the page is static, so a missing id is a bug worth failing on). */
export function byId<T extends HTMLElement | SVGSVGElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`demo: no element #${id}`);
  return e as unknown as T;
}

export function setStatus(el: HTMLElement, text: string, kind: 'info' | 'error' | 'done' = 'info'): void {
  el.textContent = text;
  el.dataset.kind = kind;
}

export function setProgress(bar: HTMLElement, fraction: number): void {
  bar.style.width = `${(Math.min(1, Math.max(0, fraction)) * 100).toFixed(1)}%`;
}

/** Fills an <ol> with scored words, each with a bar proportional to its cosine. */
export function renderScores(list: HTMLOListElement, items: { word: string; score: number }[], onPick?: (word: string) => void): void {
  list.replaceChildren(
    ...items.map(({ word, score }) => {
      const li = document.createElement('li');
      const w = document.createElement(onPick ? 'button' : 'span');
      w.className = onPick ? 'word link' : 'word';
      w.textContent = word;
      if (onPick) w.addEventListener('click', () => onPick(word));
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.setProperty('--w', `${Math.max(0, score) * 100}%`);
      const s = document.createElement('span');
      s.className = 'score';
      s.textContent = score.toFixed(3);
      li.append(w, bar, s);
      return li;
    }),
  );
}

/**
 * Makes `zone` accept a dropped file (and its hidden <input type=file>), calling `onFile`. The page as a
 * whole ignores drops elsewhere, so a missed drop does not navigate away from a trained model.
 */
export function fileDropZone(zone: HTMLElement, input: HTMLInputElement, onFile: (file: File) => void): void {
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) onFile(file);
  });
  input.addEventListener('change', () => {
    if (input.files?.[0]) onFile(input.files[0]);
    input.value = '';
  });
}

export function ignoreStrayDrops(): void {
  for (const type of ['dragover', 'drop']) window.addEventListener(type, (e) => e.preventDefault());
}

/** Integer or string query parameter with a default (the e2e test shortens runs with ?epochs=1 …). */
export function param(name: string, fallback: number): number;
export function param(name: string, fallback: string): string;
export function param(name: string, fallback: number | string): number | string {
  const v = new URLSearchParams(location.search).get(name);
  if (v === null || v === '') return fallback;
  if (typeof fallback === 'number') return Number.isFinite(Number(v)) ? Number(v) : fallback;
  return v;
}

export const formatInt = (n: number): string => Math.round(n).toLocaleString('en-US');
