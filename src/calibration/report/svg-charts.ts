/**
 * Inline SVG charts for the ICP sheet: no script, no external resource, so the page renders offline
 * and prints as is. Every text is escaped. Sizes are in SVG user units (≈ CSS pixels).
 */
import type { RocPoint } from '../../domain/calibration/roc.ts';
import type { Interval } from '../../domain/calibration/statistics.ts';
import { esc } from './escape.ts';

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';
export const COLORS = { won: '#2f6fdf', small: '#a9bde6', base: '#d9480f', current: '#868e96', suggested: '#2f6fdf', grid: '#e9ecef' };

function n(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function pctLabel(x: number): string {
  return `${Math.round(x * 100)} %`;
}

export interface RateBar {
  label: string;
  rate: number;
  interval: Interval;
  n: number;
  small: boolean;
}

/** Characters of a bar label that fit in the 150-pixel label column at 11 px. */
export const MAX_BAR_LABEL = 24;

/** Horizontal win-rate bars with 95 % interval whiskers and a dashed base-rate line. */
/** `of` joins a bar's rate and its count in the tooltip (`55 % of 128`; French `sur`). */
export function rateBarsSvg(title: string, bars: readonly RateBar[], baseRate: number, width = 540, of = 'of'): string {
  const labelW = 150;
  const countW = 64;
  // Many segments (twelve values, "other", "missing") get tighter rows, so the sheet keeps to one page.
  const rowH = bars.length > 8 ? 16 : 20;
  const text = rowH - 7;
  const top = 26;
  const plotW = width - labelW - countW;
  const height = top + bars.length * rowH + 22;
  const x = (r: number): number => labelW + r * plotW;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" class="chart">`,
    `<text x="0" y="14" ${FONT} font-size="13" font-weight="600">${esc(title)}</text>`,
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${n(x(t))}" y1="${top - 4}" x2="${n(x(t))}" y2="${height - 18}" stroke="${COLORS.grid}"/>`);
    parts.push(`<text x="${n(x(t))}" y="${height - 4}" ${FONT} font-size="10" text-anchor="middle" fill="#666">${pctLabel(t)}</text>`);
  }
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const fill = b.small ? COLORS.small : COLORS.won;
    // Long labels are shortened so they never run past the left edge; the full one is in the tooltip.
    const short = b.label.length > MAX_BAR_LABEL ? `${b.label.slice(0, MAX_BAR_LABEL - 1)}…` : b.label;
    parts.push(`<text x="${labelW - 6}" y="${y + text}" ${FONT} font-size="11" text-anchor="end"><title>${esc(b.label)}</title>${esc(short)}</text>`);
    parts.push(`<rect x="${labelW}" y="${y + 2}" width="${n(Math.max(0.5, b.rate * plotW))}" height="${rowH - 5}" fill="${fill}" rx="2"><title>${esc(`${b.label}: ${pctLabel(b.rate)} ${of} ${b.n}`)}</title></rect>`);
    const lo = x(b.interval.low);
    const hi = x(b.interval.high);
    const mid = y + rowH / 2;
    parts.push(`<path d="M${n(lo)} ${n(mid)}H${n(hi)}M${n(lo)} ${n(mid - 4)}V${n(mid + 4)}M${n(hi)} ${n(mid - 4)}V${n(mid + 4)}" stroke="#212529" stroke-width="1.2" fill="none"/>`);
    parts.push(`<text x="${width - 4}" y="${y + text}" ${FONT} font-size="10" text-anchor="end" fill="#555">${esc(`${pctLabel(b.rate)} · ${b.n}${b.small ? '*' : ''}`)}</text>`);
  });
  parts.push(`<line x1="${n(x(baseRate))}" y1="${top - 6}" x2="${n(x(baseRate))}" y2="${height - 18}" stroke="${COLORS.base}" stroke-dasharray="4 3" stroke-width="1.5"/>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface TierColumn {
  tier: string;
  /** Share of the population, 0..1. */
  current?: number;
  suggested?: number;
}

/** Grouped vertical bars: share of the base per tier, current model beside the suggested one. */
export function tierShareSvg(
  title: string,
  columns: readonly TierColumn[],
  width = 300,
  names: { current: string; suggested: string } = { current: 'current model', suggested: 'suggested model' },
): string {
  const height = 190;
  const top = 30;
  const bottom = 36;
  const plotH = height - top - bottom;
  const groupW = (width - 20) / Math.max(1, columns.length);
  const barW = Math.min(28, groupW / 2.6);
  const max = Math.max(0.01, ...columns.flatMap((c) => [c.current ?? 0, c.suggested ?? 0]));
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" class="chart">`,
    `<text x="0" y="14" ${FONT} font-size="13" font-weight="600">${esc(title)}</text>`,
    `<line x1="10" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#adb5bd"/>`,
  ];
  columns.forEach((c, i) => {
    const cx = 10 + groupW * i + groupW / 2;
    const series: [number | undefined, string, number][] = [
      [c.current, COLORS.current, -barW - 1],
      [c.suggested, COLORS.suggested, 1],
    ];
    for (const [v, color, dx] of series) {
      if (v === undefined) continue;
      parts.push(`<rect x="${n(cx + dx)}" y="${n(y(v))}" width="${n(barW)}" height="${n(top + plotH - y(v))}" fill="${color}" rx="2"/>`);
      parts.push(`<text x="${n(cx + dx + barW / 2)}" y="${n(y(v) - 3)}" ${FONT} font-size="9" text-anchor="middle">${pctLabel(v)}</text>`);
    }
    parts.push(`<text x="${n(cx)}" y="${top + plotH + 14}" ${FONT} font-size="11" text-anchor="middle">${esc(c.tier)}</text>`);
  });
  const shown: [string, string][] = [];
  if (columns.some((c) => c.current !== undefined)) shown.push([names.current, COLORS.current]);
  if (columns.some((c) => c.suggested !== undefined)) shown.push([names.suggested, COLORS.suggested]);
  parts.push(legend(shown, height - 8));
  parts.push('</svg>');
  return parts.join('');
}

function legend(items: readonly [string, string][], y: number): string {
  return items
    .map(([label, color], i) => `<rect x="${10 + i * 110}" y="${y - 9}" width="10" height="10" fill="${color}"/><text x="${24 + i * 110}" y="${y}" ${FONT} font-size="10">${esc(label)}</text>`)
    .join('');
}

export interface RateColumn {
  label: string;
  rate: number;
  n: number;
}

/** Vertical win-rate bars per score band or tier, with the base rate dashed: the lift/calibration chart. */
export function rateColumnsSvg(title: string, columns: readonly RateColumn[], baseRate: number, width = 300, of = 'of'): string {
  const height = 190;
  const top = 30;
  const bottom = 36;
  const plotH = height - top - bottom;
  const colW = (width - 20) / Math.max(1, columns.length);
  const y = (v: number): number => top + plotH - v * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" class="chart">`,
    `<text x="0" y="14" ${FONT} font-size="13" font-weight="600">${esc(title)}</text>`,
    `<line x1="10" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#adb5bd"/>`,
  ];
  columns.forEach((c, i) => {
    const x0 = 10 + colW * i + colW * 0.15;
    const w = colW * 0.7;
    parts.push(`<rect x="${n(x0)}" y="${n(y(c.rate))}" width="${n(w)}" height="${n(top + plotH - y(c.rate))}" fill="${COLORS.won}" rx="2"><title>${esc(`${c.label}: ${pctLabel(c.rate)} ${of} ${c.n}`)}</title></rect>`);
    parts.push(`<text x="${n(x0 + w / 2)}" y="${n(y(c.rate) - 3)}" ${FONT} font-size="9" text-anchor="middle">${pctLabel(c.rate)}</text>`);
    parts.push(`<text x="${n(x0 + w / 2)}" y="${top + plotH + 13}" ${FONT} font-size="9" text-anchor="middle">${esc(c.label)}</text>`);
    parts.push(`<text x="${n(x0 + w / 2)}" y="${top + plotH + 24}" ${FONT} font-size="8" text-anchor="middle" fill="#777">${c.n}</text>`);
  });
  parts.push(`<line x1="10" y1="${n(y(baseRate))}" x2="${width - 10}" y2="${n(y(baseRate))}" stroke="${COLORS.base}" stroke-dasharray="4 3" stroke-width="1.5"/>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface RocSeries {
  name: string;
  color: string;
  points: readonly RocPoint[];
}

/** ROC curves on a square plot with the chance diagonal. */
export function rocSvg(
  title: string,
  series: readonly RocSeries[],
  size = 220,
  axes: { x: string; y: string } = { x: 'share of lost accounts reached', y: 'share of won accounts reached' },
): string {
  const pad = 28;
  const plot = size - pad - 10;
  // The legend sits under the plot and its axis label, never on the curves.
  const height = size + 30 + series.length * 13;
  const px = (f: number): number => pad + f * plot;
  const py = (t: number): number => 22 + plot - t * plot;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${height}" width="${size}" height="${height}" role="img" aria-label="${esc(title)}" class="chart">`,
    `<text x="0" y="14" ${FONT} font-size="13" font-weight="600">${esc(title)}</text>`,
    `<rect x="${pad}" y="22" width="${plot}" height="${plot}" fill="none" stroke="#adb5bd"/>`,
    `<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#ced4da" stroke-dasharray="3 3"/>`,
    `<text x="${pad + plot / 2}" y="${22 + plot + 14}" ${FONT} font-size="9" text-anchor="middle" fill="#666">${esc(axes.x)}</text>`,
    `<text x="${pad - 6}" y="${22 + plot / 2}" ${FONT} font-size="9" text-anchor="middle" fill="#666" transform="rotate(-90 ${pad - 6} ${22 + plot / 2})">${esc(axes.y)}</text>`,
  ];
  series.forEach((s, i) => {
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${n(px(p.fpr))} ${n(py(p.tpr))}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    const ly = 22 + plot + 28 + i * 13;
    parts.push(`<rect x="${pad}" y="${ly - 4}" width="10" height="3" fill="${s.color}"/>`);
    parts.push(`<text x="${pad + 14}" y="${ly}" ${FONT} font-size="9">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
