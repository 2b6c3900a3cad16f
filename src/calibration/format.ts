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

export interface NumberFormats {
  count(n: number): string;
  pct(x: number, digits?: number): string;
  interval(i: Interval): string;
  lift(x: number | undefined): string;
  aucText(x: number | undefined): string;
  amount(x: number | undefined): string;
  days(x: number | undefined): string;
}

/** French writes `31,8 %`, `1 200` and `12 j`: the same numbers with the French separators. */
export function frenchNumbers(text: string): string {
  return text.replace(/(\d),(?=\d{3}(?!\d))/g, '$1\u202f').replace(/(\d)\.(\d)/g, '$1,$2');
}

/** The formats above in a sheet's language (`fr`: decimal comma, thin-space thousands, `j` for days). */
export function formatsFor(lang: 'en' | 'fr'): NumberFormats {
  if (lang === 'en') return { count, pct, interval, lift, aucText, amount, days };
  return {
    count: (n) => frenchNumbers(count(n)),
    pct: (x, digits) => frenchNumbers(pct(x, digits)),
    interval: (i) => frenchNumbers(interval(i)),
    lift: (x) => (x === undefined ? 'n/d' : frenchNumbers(lift(x))),
    aucText: (x) => (x === undefined ? 'n/d (un seul résultat)' : frenchNumbers(aucText(x))),
    amount: (x) => frenchNumbers(amount(x)),
    days: (x) => (x === undefined ? '–' : `${frenchNumbers(count(x))} j`),
  };
}
