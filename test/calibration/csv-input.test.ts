import { describe, expect, it } from 'vitest';
import { createRowsReader } from '../../src/calibration/account-rows-csv.ts';
import { bestVersusBase, normalizeDomain, rowsToDeals } from '../../src/domain/calibration/account-row.ts';
import { InputError } from '../../src/io/input-error.ts';
import { isMissing } from '../../src/domain/normalize.ts';

function read(text: string, kind: 'deals' | 'accounts', chunk = 7): ReturnType<ReturnType<typeof createRowsReader>['end']> {
  const reader = createRowsReader({ kind, label: 'deals.csv' });
  // Feed in small chunks: records must survive any split.
  for (let i = 0; i < text.length; i += chunk) reader.feed(text.slice(i, i + chunk));
  return reader.end();
}

describe('deals CSV reader', () => {
  const csv = [
    '\uFEFFaccount_id,domain,name,industry,employees,outcome,amount,cycle_days,close_date,created_date',
    'a1,https://www.Acme.com/about,Acme,Software,"1 200",won,"12 500,50",,2025-03-10,2025-01-09',
    'a2,,Béta SAS,"Retail, food",80,Perdu,n/a,40,2025-02-01,',
    'a3,,,Finance,15,maybe,100,10,2025-01-01,',
    'a4,,,Finance,15,gagné,100,10,03/04/2025,',
    'a5,,,Finance',
    ',,,Software;Finance,5,1,,,2025-05-05T10:00:00Z,',
  ].join('\r\n');

  it('reads outcomes, amounts, cycles, dates and identities, and reports what it skips', () => {
    const r = read(csv, 'deals');
    expect(r.attributes).toEqual(['industry', 'employees']);
    expect(r.rows).toHaveLength(4);
    const [acme, beta, a4, noKey] = r.rows;
    expect(acme).toMatchObject({
      ids: { accountId: 'a1', domain: 'acme.com', name: 'acme' },
      won: true,
      amount: 12500.5,
      cycleDays: 60,
      closeDate: '2025-03-10',
      attributes: { industry: 'Software', employees: '1 200', domain: 'https://www.Acme.com/about', name: 'Acme' },
    });
    expect(beta).toMatchObject({ won: false, cycleDays: 40, attributes: { industry: 'Retail, food' } });
    expect(beta?.amount).toBeUndefined();
    expect(a4).toMatchObject({ won: true });
    expect(a4?.closeDate).toBeUndefined();
    // `;` separates list items, as for `icp-sync score`.
    expect(noKey?.attributes['industry']).toEqual(['Software', 'Finance']);
    expect(noKey?.closeDate).toBe('2025-05-05');
    expect(r.skipped).toEqual([
      { line: 4, message: 'outcome "maybe" is not won/lost (true/false, 1/0, gagné/perdu)' },
      { line: 6, message: '4 fields, the header has 10' },
    ]);
    expect(r.notes).toEqual([
      'deals.csv: 1 date(s) like "03/04/2025" could be day-first or month-first: give --date-format DD-MM-YY or MM-DD-YY (they count as unknown)',
      'deals.csv: 1 amount(s) are not numbers and count as unknown',
      'deals.csv: 1 close date(s) are not YYYY-MM-DD (or ISO 8601, or DD-MM-YY with --date-format) and count as unknown',
    ]);
    const deals = rowsToDeals(r.rows);
    expect(deals.map((d) => d.account)).toEqual(['id:a1', 'id:a2', 'id:a4', 'row:deals.csv:7']);
  });

  it('refuses a file without an outcome column, an empty file, and a semicolon-separated header', () => {
    expect(() => read('industry,employees\nSoftware,10\n', 'deals')).toThrow(/no "outcome" column/);
    expect(() => read('', 'deals')).toThrow(InputError);
    expect(() => read('industry;outcome\nSoftware;won\n', 'deals')).toThrow(/separated by ","/);
    expect(() => read('outcome,outcome\nwon,won\n', 'deals')).toThrow(/twice/);
  });

  it('normalises countries like icp-sync score does', () => {
    const r = read('account_id,country,outcome\na,France,won\nb,BEL,lost\nc,Atlantis,lost\n', 'deals');
    expect(r.rows.map((x) => x.attributes['country'])).toEqual(['FR', 'BE', undefined]);
  });

  it('reads accounts without an outcome and notes files without an identity column', () => {
    const r = read('industry,employees\nSoftware,10\n', 'accounts');
    expect(r.rows[0]?.won).toBeUndefined();
    expect(r.notes[0]).toMatch(/no account_id, domain or name column/);
  });
});

describe('best customers against the base', () => {
  it('labels matched base accounts as best, others as reference, and adds unmatched best customers', () => {
    const base = read(
      ['account_id,domain,name,industry,employees', '1,acme.com,Acme,Software,', '2,beta.fr,Beta,Retail,40', '3,,Gamma,Finance,12', '3,,Gamma,Finance,12'].join('\n'),
      'accounts',
    );
    const best = read(['domain,name,employees', 'www.acme.com,,250', ',GAMMA ,', ',Delta,9'].join('\n'), 'accounts');
    const r = bestVersusBase(best.rows, base.rows);
    expect(r.matched).toBe(2);
    expect(r.unmatched).toBe(1);
    expect(r.deals.map((d) => [d.account, d.won])).toEqual([
      ['id:1', true],
      ['id:2', false],
      ['id:3', true],
      ['name:delta', true],
    ]);
    // The best-customers file's values win, the base completes them.
    expect(r.deals[0]?.attributes).toMatchObject({ industry: 'Software', employees: '250' });
  });

  it('normalises domains', () => {
    expect(normalizeDomain('HTTPS://www.Example.COM:443/path?q=1')).toBe('example.com');
    expect(normalizeDomain('example.org.')).toBe('example.org');
    expect(normalizeDomain('  ')).toBeUndefined();
  });
});

describe('finding 13: day-first dates', () => {
  const french = ['account_id,industry,outcome,close_date,created_date', 'a1,Software,won,03-04-25,01-02-25', 'a2,Retail,lost,28-02-25,10-01-25', 'a3,Retail,lost,05-06-2025,'].join('\n');

  it('detects day-first dates when some day is above 12, and says so', () => {
    const r = read(french, 'deals');
    expect(r.rows.map((x) => x.closeDate)).toEqual(['2025-04-03', '2025-02-28', '2025-06-05']);
    expect(r.rows[0]?.cycleDays).toBe(61);
    expect(r.notes).toEqual(['deals.csv: dates like "03-04-25" read day-first (DD-MM-YY): some day is above 12']);
  });

  it('reads ambiguous dates with an explicit order, and refuses to guess without one', () => {
    const ambiguous = ['account_id,industry,outcome,close_date', 'a1,Software,won,03-04-25', 'a2,Retail,lost,05/06/2025'].join('\n');
    expect(read(ambiguous, 'deals').rows.map((x) => x.closeDate)).toEqual([undefined, undefined]);
    const reader = createRowsReader({ kind: 'deals', label: 'deals.csv', dateOrder: 'dmy' });
    reader.feed(ambiguous);
    expect(reader.end().rows.map((x) => x.closeDate)).toEqual(['2025-04-03', '2025-06-05']);
    const us = createRowsReader({ kind: 'deals', label: 'deals.csv', dateOrder: 'mdy' });
    us.feed(ambiguous);
    expect(us.end().rows.map((x) => x.closeDate)).toEqual(['2025-03-04', '2025-05-06']);
  });
});

describe('finding 12: unrecognised values', () => {
  it('reports values the normalisation turns into missing, with counts', () => {
    const csv = ['account_id,country,outcome', 'a1,France,won', 'a2,Frnace,lost', 'a3,Frnace,won', 'a4,Germny,lost', 'a5,,lost'].join('\n');
    const r = read(csv, 'deals');
    expect(r.rows[0]?.attributes['country']).toBe('FR');
    expect(r.rows.slice(1).every((x) => isMissing(x.attributes['country']))).toBe(true);
    expect(r.notes).toContain('deals.csv: country: 3 value(s) not recognised, counted as missing: "Frnace" ×2, "Germny" ×1');
  });
});

describe('deals CSV reader: roles and lost reasons', () => {
  const csv = [
    'account_id,industry,outcome,amount,roles,lost_reason',
    'a1,Software,won,100,decision_maker;user,',
    'a2,Software,lost,200, buyer ; Champion ;,Trop cher',
    'a3,Retail,lost,300,,',
    'a4,Retail,won,400,user,"should not be read: the deal was won"',
  ].join('\n');

  it('reads roles as a list (an empty cell: no role) and the reason of lost deals only, never as attributes', () => {
    const r = read(csv, 'deals');
    expect(r.attributes).toEqual(['industry']);
    const deals = rowsToDeals(r.rows);
    expect(deals.map((d) => d.roles)).toEqual([['decision_maker', 'user'], ['buyer', 'Champion'], [], ['user']]);
    expect(deals.map((d) => d.lostReason)).toEqual([undefined, 'Trop cher', undefined, undefined]);
    for (const d of deals) expect(Object.keys(d.attributes)).not.toContain('roles');
  });

  it('leaves roles unknown when the file has no roles column', () => {
    const deals = rowsToDeals(read('account_id,industry,outcome\na1,Software,won\n', 'deals').rows);
    expect(deals[0]?.roles).toBeUndefined();
  });
});
