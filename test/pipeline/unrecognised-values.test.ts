/**
 * A CRM value the field mappings cannot read (a misspelt country) scores as missing; the batch
 * says which values, for which attribute, on how many records, so the warning can be logged.
 */
import { describe, expect, it } from 'vitest';
import type { Enricher } from '../../src/enrichment/port.ts';
import { countUnrecognised, mapRecord } from '../../src/mappings/apply.ts';
import { DEFAULT_MAPPINGS } from '../../src/mappings/defaults.ts';
import { objectPipeline } from '../../src/pipeline/object-pipeline.ts';
import { processBatch } from '../../src/pipeline/process-batch.ts';
import { createFakeConnector } from './fake-connector.ts';
import { testScorer } from './helpers.ts';

const passThrough: Enricher = {
  async enrich(records) {
    return records.map((r) => ({ attributes: r.attributes, provenance: r.provenance }));
  },
};

describe('unrecognised CRM values', () => {
  const account = DEFAULT_MAPPINGS.salesforce['Account'];
  if (account === undefined) throw new Error('no default Account mapping');

  it('mapRecord reports a value no field could turn into the attribute, and only then', () => {
    expect(mapRecord(account, { id: '1', fields: { BillingCountryCode: null, BillingCountry: ' Frnace ' } }).unrecognised).toEqual([
      { attribute: 'country', field: 'BillingCountry', value: 'Frnace' },
    ]);
    // A later field that reads well: nothing to report.
    expect(mapRecord(account, { id: '2', fields: { BillingCountryCode: 'ZZ', BillingCountry: 'France' } }).unrecognised).toEqual([]);
    // No value at all is missing, not unrecognised.
    expect(mapRecord(account, { id: '3', fields: {} }).unrecognised).toEqual([]);
  });

  it('processBatch counts them by attribute and value', async () => {
    const fake = createFakeConnector({ batchSize: 200 });
    fake.records.set('a1', { Industry: 'Software', NumberOfEmployees: '120', BillingCountry: 'Frnace' });
    fake.records.set('a2', { Industry: 'Software', NumberOfEmployees: 'lots', BillingCountry: 'Frnace' });
    fake.records.set('a3', { Industry: 'Software', NumberOfEmployees: '80', BillingCountry: 'Allemange' });
    fake.records.set('a4', { Industry: 'Software', NumberOfEmployees: '80', BillingCountry: 'France' });
    const op = objectPipeline({ ...fake, crm: 'salesforce', objectTypes: ['Account'] }, DEFAULT_MAPPINGS, 'Account');
    const out = await processBatch(op, { scorer: testScorer(), enricher: passThrough }, { ids: ['a1', 'a2', 'a3', 'a4'] });
    expect(out.unrecognised).toEqual([
      { attribute: 'country', value: 'Frnace', records: 2 },
      { attribute: 'country', value: 'Allemange', records: 1 },
      { attribute: 'employees', value: 'lots', records: 1 },
    ]);
    expect(countUnrecognised([])).toEqual([]);
  });
});
