import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fastConnector, testEnv } from './helpers.ts';

const API = 'https://api.hubapi.com';

/** A properties listing shaped like HubSpot's (`options[] {label, value, displayOrder, hidden}`). */
const PROPERTIES = {
  results: [
    { name: 'name', label: 'Company name', type: 'string', fieldType: 'text', options: [] },
    {
      name: 'industry',
      label: 'Industry',
      type: 'enumeration',
      fieldType: 'select',
      options: [
        { label: 'Computer Software', value: 'COMPUTER_SOFTWARE', displayOrder: 0, hidden: false },
        { label: 'Information Technology and Services', value: 'INFORMATION_TECHNOLOGY_AND_SERVICES', displayOrder: 1, hidden: false },
      ],
    },
  ],
};

describe('HubSpot property option labels', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('reads the options once per object type and gives value → label for the fields asked', async () => {
    const scope = nock(API).get('/crm/properties/2026-03/companies').query(true).once().reply(200, PROPERTIES);
    const connector = fastConnector(testEnv());
    const first = await connector.valueLabels?.('companies', ['industry', 'name', 'numberofemployees']);
    expect([...(first?.keys() ?? [])]).toEqual(['industry']);
    expect(first?.get('industry')?.get('COMPUTER_SOFTWARE')).toBe('Computer Software');
    const again = await connector.valueLabels?.('companies', ['industry']);
    expect(again?.get('industry')?.get('INFORMATION_TECHNOLOGY_AND_SERVICES')).toBe('Information Technology and Services');
    expect(scope.isDone()).toBe(true);
  });

  it('gives no labels when the listing fails (scoring goes on with values), and asks again next time', async () => {
    nock(API).get('/crm/properties/2026-03/companies').query(true).reply(403, { status: 'error', category: 'MISSING_SCOPES', message: 'missing scope' });
    nock(API).get('/crm/properties/2026-03/companies').query(true).reply(200, PROPERTIES);
    const connector = fastConnector(testEnv());
    expect((await connector.valueLabels?.('companies', ['industry']))?.size).toBe(0);
    expect((await connector.valueLabels?.('companies', ['industry']))?.get('industry')?.get('COMPUTER_SOFTWARE')).toBe('Computer Software');
  });
});
