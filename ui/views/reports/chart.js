// The twelve-month chart of the reports page, as pure geometry: bars of spending (万元, left axis)
// and a line of persons (right axis), with round axis steps. No DOM here, so it is unit-tested.

import { html } from '../../lib/html.js';

/** An axis top at or above `max` in steps of 1, 2 or 5 × 10ⁿ (about five steps). */
export function niceTop(max) {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw - 1e-12);
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

/** 万元 of a yuan string, as a number. */
const wanOf = (yuan) => Number(yuan) / 10000;

/**
 * Geometry of the chart for `series` ([{month, run, amount, persons}]) in a box of `width` ×
 * `height`: bars {x, y, w, h, month, label}, points {x, y}, ticks {y, left, right}, labels.
 */
export function chartGeometry(series, { width = 720, height = 260 } = {}) {
  const pad = { l: 52, r: 52, t: 20, b: 30 };
  const x0 = pad.l; const x1 = width - pad.r;
  const yTop = pad.t; const yBase = height - pad.b;
  const plot = yBase - yTop;
  const run = series.filter((s) => s.run);
  const money = niceTop(Math.max(0, ...run.map((s) => wanOf(s.amount))));
  const people = niceTop(Math.max(0, ...run.map((s) => s.persons)));
  const slot = (x1 - x0) / Math.max(1, series.length);
  const bars = []; const points = []; const gaps = [];
  series.forEach((s, i) => {
    const cx = x0 + slot * (i + 0.5);
    const label = s.month.slice(2).replace('-', '.');
    if (!s.run) { gaps.push({ x: cx, label }); return; }
    const h = (wanOf(s.amount) / money.top) * plot;
    bars.push({ x: cx - slot * 0.3, y: yBase - h, w: slot * 0.6, h, label, month: s.month, amount: s.amount, persons: s.persons });
    points.push({ x: cx, y: yBase - (s.persons / people.top) * plot });
  });
  const ticks = [];
  for (let v = 0; v <= money.top + 1e-9; v += money.step) {
    const f = v / money.top;
    ticks.push({ y: yBase - f * plot, left: +v.toFixed(2), right: Math.round(f * people.top) });
  }
  return { width, height, x0, x1, yTop, yBase, slot, bars, points, gaps, ticks };
}

/** The chart as SVG markup, with a text alternative for screen readers and printing. */
export function chartSvg(series) {
  const g = chartGeometry(series);
  const months = [...g.bars.map((b) => ({ x: b.x + b.w / 2, label: b.label })), ...g.gaps];
  const line = g.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  return html`<svg class="chart" viewBox="0 0 ${g.width} ${g.height}" role="img"
      aria-label="近12个月支出和保障人数" xmlns="http://www.w3.org/2000/svg">
    ${g.ticks.map((t) => html`<line class="grid" x1="${g.x0}" x2="${g.x1}" y1="${t.y}" y2="${t.y}"></line>
      <text class="axis" x="${g.x0 - 6}" y="${t.y + 4}" text-anchor="end">${t.left}</text>
      <text class="axis" x="${g.x1 + 6}" y="${t.y + 4}">${t.right}</text>`)}
    <text class="axis" x="${g.x0 - 6}" y="${g.yTop - 8}" text-anchor="end">万元</text>
    <text class="axis" x="${g.x1 + 6}" y="${g.yTop - 8}">人</text>
    ${g.bars.map((b) => html`<rect class="bar" x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}"><title>${b.month}：支出 ${b.amount} 元，保障 ${b.persons} 人</title></rect>`)}
    ${g.gaps.map((x) => html`<text class="axis gap" x="${x.x}" y="${g.yBase - 6}" text-anchor="middle">未发放</text>`)}
    ${line ? html`<polyline class="persons" points="${line}"></polyline>` : ''}
    ${g.points.map((p) => html`<circle class="persons-dot" cx="${p.x}" cy="${p.y}" r="3"></circle>`)}
    ${months.map((m) => html`<text class="axis" x="${m.x}" y="${g.yBase + 16}" text-anchor="middle">${m.label}</text>`)}
  </svg>`;
}
