/** Calibration from a CRM says which account values the field mappings could not read, with counts. */
import { describe, expect, it } from 'vitest';
import { accountRow } from '../../src/calibration/crm-deal-reader.ts';
import { unrecognisedNotes } from '../../src/domain/calibration/account-row.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';

describe('unrecognised values in CRM calibration inputs', () => {
  it('keeps them on the row and words them like the CSV reader', () => {
    const mapping = DEFAULT_MAPPINGS.hubspot['companies'];
    if (mapping === undefined) throw new Error('no default companies mapping');
    const rows = ['Frnace', 'Frnace', 'France', 'Allemange'].map((country, i) => accountRow(mapping, { id: `c${i}`, fields: { country, industry: 'COMPUTER_SOFTWARE' } }, `company c${i}`));
    expect(rows.map((r) => r.attributes['country'])).toEqual([undefined, undefined, 'FR', undefined]);
    expect(rows[2]?.unrecognised).toBeUndefined();
    expect(unrecognisedNotes('hubspot deals', rows.flatMap((r) => r.unrecognised ?? []))).toEqual([
      'hubspot deals: country: 3 value(s) not recognised, counted as missing: "Frnace" ×2, "Allemange" ×1',
    ]);
  });
});
