import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrmError } from '../../../src/errors.ts';
import { fastConnector, testEnv } from './helpers.ts';

const API = 'https://api.hubapi.com';

/** A properties listing shaped like HubSpot's (properties guide): standard and custom, one with options. */
const PROPERTIES = {
  results: [
    { name: 'numberofemployees', label: 'Number of Employees', type: 'number', fieldType: 'number', hubspotDefined: true, options: [] },
    { name: 'siren', label: 'SIREN', type: 'string', fieldType: 'text', groupName: 'companyinformation', options: [] },
    {
      name: 'industry',
      label: 'Industry',
      type: 'enumeration',
      fieldType: 'select',
      hubspotDefined: true,
      options: [
        { label: 'Computer Software', value: 'COMPUTER_SOFTWARE', displayOrder: 0, hidden: false },
        { label: 'Banking', value: 'BANKING', displayOrder: 1, hidden: false },
      ],
    },
  ],
};

describe('HubSpot describeFields (properties listing)', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('lists the properties of an object type, sorted, with type, custom and option count', async () => {
    const scope = nock(API)
      .get('/crm/properties/2026-03/companies')
      .query((q) => q['archived'] === 'false')
      .reply(200, PROPERTIES);
    const fields = await fastConnector(testEnv()).describeFields?.('companies');
    expect(fields).toEqual([
      { name: 'industry', label: 'Industry', type: 'enumeration', custom: false, options: 2 },
      { name: 'numberofemployees', label: 'Number of Employees', type: 'number', custom: false, options: 0 },
      { name: 'siren', label: 'SIREN', type: 'string', custom: true, options: 0 },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('reads contacts on their own path', async () => {
    nock(API).get('/crm/properties/2026-03/contacts').query(true).reply(200, { results: [{ name: 'jobtitle', label: 'Job Title', type: 'string', hubspotDefined: true }] });
    expect((await fastConnector(testEnv()).describeFields?.('contacts'))?.map((f) => f.name)).toEqual(['jobtitle']);
  });

  it('turns a refusal into a typed error, and refuses an object type it does not sync', async () => {
    nock(API).get('/crm/properties/2026-03/companies').query(true).reply(403, { status: 'error', category: 'MISSING_SCOPES', message: 'This app hasn\'t been granted all required scopes' });
    const connector = fastConnector(testEnv());
    await expect(connector.describeFields?.('companies')).rejects.toBeInstanceOf(CrmError);
    await expect(connector.describeFields?.('deals')).rejects.toBeInstanceOf(CrmError);
  });

  it('says so when the answer is not a listing', async () => {
    nock(API).get('/crm/properties/2026-03/companies').query(true).reply(200, { items: [] });
    await expect(fastConnector(testEnv()).describeFields?.('companies')).rejects.toThrow(/unexpected answer/);
  });
});
