/**
 * A labelled 2-D scatter plot as a standalone SVG document (no dependencies, deterministic output):
 * points are scaled to fit with equal units on both axes, so distances in the plot mean something.
 */
export interface ScatterOptions {
  width?: number;
  height?: number;
  title?: string;
  /** Axis captions, e.g. "PC1 (12.3%)". */
  xLabel?: string;
  yLabel?: string;
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function scatterSvg(points: readonly (readonly number[])[], labels: readonly string[], options: ScatterOptions = {}): string {
  const width = options.width ?? 960,
    height = options.height ?? 720;
  const margin = 48;
  const top = options.title ? margin + 16 : margin;
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (!points.length) {
    x0 = y0 = -1;
    x1 = y1 = 1;
  }
  const spanX = x1 - x0 || 1,
    spanY = y1 - y0 || 1;
  const scale = Math.min((width - 2 * margin) / spanX, (height - top - margin) / spanY);
  const cx = (width - spanX * scale) / 2,
    cy = top + (height - top - margin - spanY * scale) / 2;
  const px = (x: number) => (cx + (x - x0) * scale).toFixed(1);
  const py = (y: number) => (cy + (y1 - y) * scale).toFixed(1); // y grows upwards
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (options.title) out.push(`<text x="${width / 2}" y="${margin / 2 + 8}" text-anchor="middle" font-size="18">${escapeXml(options.title)}</text>`);
  if (options.xLabel) out.push(`<text x="${width / 2}" y="${height - 12}" text-anchor="middle" font-size="12" fill="#555">${escapeXml(options.xLabel)}</text>`);
  if (options.yLabel)
    out.push(
      `<text x="14" y="${height / 2}" text-anchor="middle" font-size="12" fill="#555" transform="rotate(-90 14 ${height / 2})">${escapeXml(options.yLabel)}</text>`,
    );
  out.push('<g fill="#1f77b4">');
  for (const [x, y] of points) out.push(`<circle cx="${px(x)}" cy="${py(y)}" r="2.5"/>`);
  out.push('</g>', '<g font-size="11" fill="#222">');
  points.forEach(([x, y], i) =>
    out.push(`<text x="${(Number(px(x)) + 4).toFixed(1)}" y="${(Number(py(y)) - 3).toFixed(1)}">${escapeXml(labels[i] ?? '')}</text>`),
  );
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}
