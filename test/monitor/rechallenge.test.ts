import { describe, expect, it } from 'vitest';
import { addCalendarMonths, isRechallengeDue, modelAgeDays, rechallengeDate } from '../../src/domain/calibration/rechallenge.ts';

describe('rechallengeDate', () => {
  it('is six calendar months after publication by default', () => {
    expect(rechallengeDate('2026-06-15')).toBe('2026-12-15');
    expect(rechallengeDate(new Date('2026-06-15T23:30:00Z'))).toBe('2026-12-15');
  });

  it('takes the last day of a shorter month', () => {
    expect(rechallengeDate('2026-08-31')).toBe('2027-02-28');
    expect(rechallengeDate('2027-08-31')).toBe('2028-02-29');
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
  });

  it('accepts 6 to 12 months and refuses the rest', () => {
    expect(rechallengeDate('2026-01-10', 12)).toBe('2027-01-10');
    expect(() => rechallengeDate('2026-01-10', 5)).toThrow(RangeError);
    expect(() => rechallengeDate('2026-01-10', 13)).toThrow(RangeError);
    expect(() => rechallengeDate('2026-01-10', 6.5)).toThrow(RangeError);
    expect(() => rechallengeDate('not a date')).toThrow(RangeError);
  });
});

describe('age and due', () => {
  it('counts whole days and is due from the re-challenge day on', () => {
    const published = '2026-01-10';
    expect(modelAgeDays(published, new Date('2026-01-10T12:00:00Z'))).toBe(0);
    expect(modelAgeDays(published, new Date('2026-02-10T00:00:00Z'))).toBe(31);
    expect(modelAgeDays('2026-03-01', new Date('2026-02-01T00:00:00Z'))).toBe(0);
    expect(isRechallengeDue(published, new Date('2026-07-09T23:59:59Z'))).toBe(false);
    expect(isRechallengeDue(published, new Date('2026-07-10T00:00:00Z'))).toBe(true);
    expect(isRechallengeDue(published, new Date('2026-07-10T00:00:00Z'), 12)).toBe(false);
  });
});
