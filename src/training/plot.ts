/**
 * A hand-written SVG of the training curves: loss (nats/char) on the left panel, accuracy on the
 * right, training in blue and validation in orange, against characters seen. No dependency.
 */
export interface HistoryPoint {
  readonly step: number;
  readonly charsSeen: number;
  readonly trainLoss?: number;
  readonly trainAccuracy?: number;
  readonly validLoss?: number;
  readonly validAccuracy?: number;
}

const W = 420;
const H = 300;
const PAD = { left: 52, right: 14, top: 30, bottom: 40 };

export function renderTrainingSvg(title: string, history: readonly HistoryPoint[]): string {
  const panels = [
    panel('loss (nats/char)', history, (p) => p.trainLoss, (p) => p.validLoss, 0),
    panel('top-1 accuracy', history, (p) => p.trainAccuracy, (p) => p.validAccuracy, W),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 24}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${W}" y="16" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
    ...panels,
    `<g transform="translate(${W - 120},${H + 14})"><rect width="10" height="3" y="-4" fill="#1f77b4"/><text x="14">train</text>`,
    `<rect x="60" width="10" height="3" y="-4" fill="#ff7f0e"/><text x="74">validation</text></g>`,
    `</svg>`,
  ].join('\n');
}

function panel(
  label: string,
  history: readonly HistoryPoint[],
  train: (p: HistoryPoint) => number | undefined,
  valid: (p: HistoryPoint) => number | undefined,
  x0: number,
): string {
  const pts = (f: (p: HistoryPoint) => number | undefined) =>
    history.flatMap((p) => {
      const v = f(p);
      return v !== undefined && Number.isFinite(v) ? [[p.charsSeen, v] as const] : [];
    });
  const tr = pts(train);
  const va = pts(valid);
  const all = [...tr, ...va];
  const xMax = Math.max(1, ...all.map(([x]) => x));
  let yMin = Math.min(...all.map(([, y]) => y));
  let yMax = Math.max(...all.map(([, y]) => y));
  if (!Number.isFinite(yMin)) [yMin, yMax] = [0, 1];
  if (yMax - yMin < 1e-6) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const pw = W - PAD.left - PAD.right;
  const ph = H - PAD.top - PAD.bottom;
  const sx = (x: number) => x0 + PAD.left + (x / xMax) * pw;
  const sy = (y: number) => PAD.top + (1 - (y - yMin) / (yMax - yMin)) * ph;
  const line = (p: readonly (readonly [number, number])[], color: string) =>
    p.length === 0
      ? ''
      : `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${p.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>` +
        (p.length === 1 ? `<circle cx="${sx(p[0]![0]).toFixed(1)}" cy="${sy(p[0]![1]).toFixed(1)}" r="2.5" fill="${color}"/>` : '');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = yMin + f * (yMax - yMin);
    return `<line x1="${x0 + PAD.left - 4}" x2="${x0 + PAD.left + pw}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#eee"/><text x="${x0 + PAD.left - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end">${y.toFixed(3)}</text>`;
  });
  const xTicks = [0, 0.5, 1].map(
    (f) => `<text x="${sx(f * xMax).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${formatChars(f * xMax)}</text>`,
  );
  return [
    `<g>`,
    ...ticks,
    ...xTicks,
    `<rect x="${x0 + PAD.left}" y="${PAD.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
    `<text x="${x0 + PAD.left + pw / 2}" y="${PAD.top - 6}" text-anchor="middle">${label}</text>`,
    `<text x="${x0 + PAD.left + pw / 2}" y="${H - 8}" text-anchor="middle">characters seen</text>`,
    line(tr, '#1f77b4'),
    line(va, '#ff7f0e'),
    `</g>`,
  ].join('\n');
}

function formatChars(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}k`;
  return n.toFixed(0);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
