/**
 * When an ICP model must be re-challenged against fresh deals: one rule shared by the ICP sheet
 * (`calibrate --report` prints the date) and the running service's model-health monitor (which
 * warns once the date has passed). Pure: dates in, dates out, all in UTC.
 */

/** Months between a model's publication and its re-challenge when nothing else is said. */
export const DEFAULT_RECHALLENGE_MONTHS = 6;
/** The accepted range of re-challenge periods, in months (an ICP older than a year is stale). */
export const RECHALLENGE_MONTHS_RANGE = { min: 6, max: 12 } as const;

const DAY_MS = 86_400_000;

function toDate(d: Date | string): Date {
  if (d instanceof Date) return d;
  // A bare `YYYY-MM-DD` is a UTC day; anything else must be an ISO date-time.
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00Z` : d);
  if (!Number.isFinite(t)) throw new RangeError(`"${d}" is not a date`);
  return new Date(t);
}

/**
 * `date` plus whole calendar months, as `YYYY-MM-DD` (UTC). A day the target month lacks becomes
 * its last day: 31 August + 6 months = 28 (or 29) February.
 */
export function addCalendarMonths(date: Date | string, months: number): string {
  const from = toDate(date);
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return d.toISOString().slice(0, 10);
}

/**
 * The day (`YYYY-MM-DD`) by which a model published (or calibrated) on `publishedOn` must be
 * re-challenged: `months` calendar months later (default 6; 6 to 12 accepted).
 */
export function rechallengeDate(publishedOn: Date | string, months: number = DEFAULT_RECHALLENGE_MONTHS): string {
  if (!Number.isInteger(months) || months < RECHALLENGE_MONTHS_RANGE.min || months > RECHALLENGE_MONTHS_RANGE.max) {
    throw new RangeError(`re-challenge months must be a whole number from ${RECHALLENGE_MONTHS_RANGE.min} to ${RECHALLENGE_MONTHS_RANGE.max}, not ${months}`);
  }
  return addCalendarMonths(publishedOn, months);
}

/** Whole days from `publishedOn` to `now` (0 on the day itself, never negative). */
export function modelAgeDays(publishedOn: Date | string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - toDate(publishedOn).getTime()) / DAY_MS));
}

/** Whether `now` is on or after the re-challenge day of a model published on `publishedOn`. */
export function isRechallengeDue(publishedOn: Date | string, now: Date, months: number = DEFAULT_RECHALLENGE_MONTHS): boolean {
  return now.toISOString().slice(0, 10) >= rechallengeDate(publishedOn, months);
}
