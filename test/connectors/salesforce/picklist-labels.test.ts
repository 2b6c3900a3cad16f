import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { RestRequest } from '../../../src/connectors/salesforce/client.ts';
import { FieldCatalog, type DescribeClient } from '../../../src/connectors/salesforce/field-catalog.ts';
import { CrmError } from '../../../src/errors.ts';
import { quietLogger } from './helpers.ts';

/** A describe shaped like Salesforce's: a picklist whose API names differ from their labels. */
const DESCRIBE = {
  name: 'Account',
  fields: [
    { name: 'Name', type: 'string', picklistValues: [] },
    { name: 'Industry', type: 'picklist', picklistValues: [{ value: 'Technology', label: 'Technology', active: true, defaultValue: false }] },
    {
      name: 'Secteur__c',
      type: 'picklist',
      picklistValues: [
        { value: 'secteur_tech', label: 'Secteur tech', active: true, defaultValue: false },
        { value: 'edition_logiciels', label: 'Édition de logiciels', active: true, defaultValue: false },
      ],
    },
  ],
};

function client(answers: Array<unknown>): DescribeClient & { calls: number } {
  const c = {
    calls: 0,
    async rest<S extends z.ZodType>(_op: string, _req: RestRequest, schema: S): Promise<z.infer<S>> {
      const answer = answers[Math.min(c.calls, answers.length - 1)];
      c.calls += 1;
      await Promise.resolve();
      if (answer instanceof Error) throw answer;
      return schema.parse(answer);
    },
  };
  return c;
}

describe('FieldCatalog picklist labels', () => {
  it('gives the labels of the picklists asked, from the describe the reads already make', async () => {
    const c = client([DESCRIBE]);
    const catalog = new FieldCatalog(c, quietLogger());
    expect(await catalog.present('Account', ['Name', 'secteur__c'])).toEqual(['Name', 'secteur__c']);
    const labels = await catalog.labels('Account', ['Name', 'secteur__c', 'Industry', 'Missing__c']);
    expect([...labels.keys()]).toEqual(['secteur__c', 'Industry']);
    expect(labels.get('secteur__c')?.get('secteur_tech')).toBe('Secteur tech');
    expect(labels.get('secteur__c')?.get('edition_logiciels')).toBe('Édition de logiciels');
    expect(c.calls).toBe(1);
  });

  it('gives no labels when the describe fails, and asks again next time', async () => {
    const c = client([new CrmError('salesforce describe: 503', { crm: 'salesforce' }), DESCRIBE]);
    const catalog = new FieldCatalog(c, quietLogger());
    expect((await catalog.labels('Account', ['Secteur__c'])).size).toBe(0);
    expect((await catalog.labels('Account', ['Secteur__c'])).get('Secteur__c')?.get('secteur_tech')).toBe('Secteur tech');
  });
});
