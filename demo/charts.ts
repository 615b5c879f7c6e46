/** Small SVG charts for the demo page (no chart library): a line chart and a labelled scatter plot. */

const SVG_NS = 'http://www.w3.org/2000/svg';

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** About `count` round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

export interface Series {
  name: string;
  /** A CSS colour. */
  color: string;
  points: [number, number][];
  /** Draw a dot at each point (for short series such as one value per epoch). */
  markers?: boolean;
}

export interface LineChartOptions {
  xLabel: string;
  yLabel: string;
  /** Fixed axis ranges; otherwise taken from the data. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Only whole numbers on the x axis (epochs). */
  xIntegers?: boolean;
  /** Formats y tick labels (default: as is). */
  yFormat?: (v: number) => string;
  /** Shown when there is no data yet. */
  empty?: string;
}

/** Redraws `svg` as a line chart of the series (axes, ticks, legend). */
export function renderLineChart(svg: SVGSVGElement, series: Series[], o: LineChartOptions): void {
  const W = 520,
    H = 240,
    left = 52,
    right = 14,
    top = 28,
    bottom = 40;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.replaceChildren();
  const all = series.flatMap((s) => s.points);
  if (!all.length) {
    svg.append(svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'chart-empty' }, o.empty ?? 'no data yet'));
    return;
  }
  let [x0, x1] = o.xDomain ?? [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = o.yDomain ?? [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (x1 <= x0) x1 = x0 + 1;
  if (!o.yDomain) {
    const pad = (y1 - y0) * 0.08 || Math.abs(y0) * 0.1 || 1;
    y0 -= pad;
    y1 += pad;
  }
  const sx = (x: number) => left + ((x - x0) / (x1 - x0)) * (W - left - right);
  const sy = (y: number) => H - bottom - ((y - y0) / (y1 - y0)) * (H - top - bottom);
  const fmt = o.yFormat ?? ((v: number) => String(v));

  const grid = svgEl('g', { class: 'chart-grid' });
  for (const t of niceTicks(y0, y1, 4)) {
    grid.append(svgEl('line', { x1: left, x2: W - right, y1: sy(t), y2: sy(t) }));
    grid.append(svgEl('text', { x: left - 6, y: sy(t) + 4, 'text-anchor': 'end' }, fmt(t)));
  }
  for (const t of niceTicks(x0, x1, 6).filter((v) => !o.xIntegers || Number.isInteger(v))) {
    grid.append(svgEl('line', { x1: sx(t), x2: sx(t), y1: H - bottom, y2: H - bottom + 4 }));
    grid.append(svgEl('text', { x: sx(t), y: H - bottom + 16, 'text-anchor': 'middle' }, String(t)));
  }
  grid.append(svgEl('line', { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, class: 'chart-axis' }));
  grid.append(svgEl('text', { x: (left + W - right) / 2, y: H - 6, 'text-anchor': 'middle', class: 'chart-label' }, o.xLabel));
  grid.append(
    svgEl(
      'text',
      { x: 12, y: (top + H - bottom) / 2, 'text-anchor': 'middle', class: 'chart-label', transform: `rotate(-90 12 ${(top + H - bottom) / 2})` },
      o.yLabel,
    ),
  );
  svg.append(grid);

  let legendX = left;
  for (const s of series) {
    if (s.points.length) {
      const d = s.points.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
      svg.append(svgEl('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-linejoin': 'round', class: 'series' }));
      if (s.markers) for (const [x, y] of s.points) svg.append(svgEl('circle', { cx: sx(x), cy: sy(y), r: 3.5, fill: s.color, class: 'marker' }));
    }
    svg.append(svgEl('rect', { x: legendX, y: 8, width: 12, height: 4, rx: 2, fill: s.color }));
    svg.append(svgEl('text', { x: legendX + 16, y: 14, class: 'chart-legend' }, s.name));
    legendX += 28 + s.name.length * 6.4;
  }
}

/** Rough rendered width of a label: wide (CJK, Hangul, kana) characters take about a full em. */
function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0)! >= 0x2e80 ? 1 : 0.6) * fontSize;
  return w;
}

export interface ScatterOptions {
  /** Words drawn in the query colour, and words drawn in the neighbour colour (both always labelled). */
  query?: ReadonlySet<string>;
  neighbours?: ReadonlySet<string>;
  onPick?: (word: string) => void;
  xLabel?: string;
  yLabel?: string;
}

/**
 * A labelled scatter plot with equal units on both axes. Labels are placed greedily in the order given
 * (most frequent first, highlighted words before all): a label that would overlap one already placed is
 * left out (the dot keeps a tooltip), so the plot stays readable with a few hundred words.
 */
export function renderScatter(svg: SVGSVGElement, points: readonly (readonly number[])[], words: readonly string[], o: ScatterOptions = {}): void {
  const W = 1000,
    H = 620,
    margin = 36;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.replaceChildren();
  if (!points.length) return;
  const xs = points.map((p) => p[0]),
    ys = points.map((p) => p[1]);
  const x0 = Math.min(...xs),
    x1 = Math.max(...xs),
    y0 = Math.min(...ys),
    y1 = Math.max(...ys);
  const scale = Math.min((W - 2 * margin - 60) / (x1 - x0 || 1), (H - 2 * margin) / (y1 - y0 || 1));
  const ox = (W - (x1 - x0) * scale) / 2 - 30,
    oy = (H - (y1 - y0) * scale) / 2;
  const px = (x: number) => ox + (x - x0) * scale;
  const py = (y: number) => oy + (y1 - y) * scale;

  svg.append(svgEl('line', { x1: px(0), x2: px(0), y1: margin / 2, y2: H - margin / 2, class: 'scatter-axis' }));
  svg.append(svgEl('line', { x1: margin / 2, x2: W - margin / 2, y1: py(0), y2: py(0), class: 'scatter-axis' }));
  if (o.xLabel) svg.append(svgEl('text', { x: W - margin / 2, y: py(0) - 6, 'text-anchor': 'end', class: 'chart-label' }, o.xLabel));
  if (o.yLabel) svg.append(svgEl('text', { x: px(0) + 6, y: margin / 2 + 10, class: 'chart-label' }, o.yLabel));

  const kind = (w: string) => (o.query?.has(w) ? 'query' : o.neighbours?.has(w) ? 'neighbour' : 'plain');
  const rank = { query: 0, neighbour: 1, plain: 2 };
  const order = words.map((_, i) => i).sort((a, b) => rank[kind(words[a])] - rank[kind(words[b])] || a - b);
  const placed: [number, number, number, number][] = [];
  const free = (r: [number, number, number, number]) =>
    r[0] >= 0 &&
    r[0] + r[2] <= W &&
    r[1] >= 0 &&
    r[1] + r[3] <= H &&
    placed.every((q) => r[0] + r[2] < q[0] || q[0] + q[2] < r[0] || r[1] + r[3] < q[1] || q[1] + q[3] < r[1]);
  const dots = svgEl('g', { class: 'scatter-dots' });
  const labels = svgEl('g', { class: 'scatter-labels' });
  // Highlighted words last in the DOM so they are drawn on top.
  for (const i of [...order].reverse()) {
    const x = px(points[i][0]),
      y = py(points[i][1]);
    const dot = svgEl('circle', {
      cx: x.toFixed(1),
      cy: y.toFixed(1),
      r: kind(words[i]) === 'plain' ? 3 : 5,
      class: `dot ${kind(words[i])}`,
      'data-word': words[i],
    });
    dot.append(svgEl('title', {}, words[i]));
    if (o.onPick) dot.addEventListener('click', () => o.onPick!(words[i]));
    dots.append(dot);
  }
  for (const i of order) {
    const x = px(points[i][0]),
      y = py(points[i][1]);
    const k = kind(words[i]);
    const w = textWidth(words[i], k === 'plain' ? 11 : 13) + 2,
      h = k === 'plain' ? 12 : 14;
    const spots: [number, number, number, number][] = [
      [x + 5, y - h + 4, w, h],
      [x - 5 - w, y - h + 4, w, h],
      [x - w / 2, y - h - 4, w, h],
      [x - w / 2, y + 5, w, h],
    ];
    const spot = spots.find(free) ?? (k !== 'plain' ? spots[0] : null);
    if (!spot) continue;
    placed.push(spot);
    const label = svgEl('text', { x: spot[0].toFixed(1), y: (spot[1] + h - 3).toFixed(1), class: `label ${k}` }, words[i]);
    if (o.onPick) label.addEventListener('click', () => o.onPick!(words[i]));
    labels.prepend(label); // placed first = drawn last, on top
  }
  svg.append(dots, labels);
}
