/** `--since`: `24m` (months), `90d` (days), `2y` (years) or a date `YYYY-MM-DD`; gives the first close date kept. */
import { parseCloseDate } from '../domain/calibration/deal.ts';

export function sinceDate(text: string, now: Date): string | undefined {
  const t = text.trim();
  const m = /^(\d{1,4})\s*([dmy])$/i.exec(t);
  if (m !== null) {
    const n = Number(m[1]);
    const unit = (m[2] as string).toLowerCase();
    const d = new Date(now.getTime());
    if (unit === 'd') d.setUTCDate(d.getUTCDate() - n);
    else d.setUTCMonth(d.getUTCMonth() - (unit === 'm' ? n : 12 * n));
    return d.toISOString().slice(0, 10);
  }
  return parseCloseDate(t);
}
