/** Number formats shared by the calibration summary and the ICP sheet. */
import type { Interval } from '../domain/calibration/statistics.ts';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function count(n: number): string {
  return integer.format(n);
}

/** 0.3175 → `31.8 %`. */
export function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)} %`;
}

/** `[27.1–36.8 %]`. */
export function interval(i: Interval): string {
  return `[${(i.low * 100).toFixed(1)}–${(i.high * 100).toFixed(1)} %]`;
}

export function lift(x: number | undefined): string {
  return x === undefined ? 'n/a' : `${x.toFixed(2)}×`;
}

export function aucText(x: number | undefined): string {
  return x === undefined ? 'n/a (one outcome only)' : x.toFixed(3);
}

export function amount(x: number | undefined): string {
  return x === undefined ? '–' : integer.format(x);
}

export function days(x: number | undefined): string {
  return x === undefined ? '–' : `${integer.format(x)} d`;
}
