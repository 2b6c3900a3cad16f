/**
 * Record search by name (console): the SOQL it sends (LIKE with quotes, backslashes and wildcards
 * escaped as the SOQL escape table says), the reply as the REST query answers it (nock), then the same
 * search against the sandbox, whose LIKE keeps `\%` and `\_` literal as Salesforce does.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSalesforceConnector, type SalesforceConnector } from '../../../src/connectors/salesforce/connector.ts';
import { nameSearchSoql } from '../../../src/connectors/salesforce/name-search.ts';
import { soqlLikeContains } from '../../../src/connectors/salesforce/soql.ts';
import { CrmValidationError } from '../../../src/errors.ts';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.ts';
import { likePattern } from '../../../src/sandbox/salesforce/soql-eval.ts';
import { parseSoql } from '../../../src/sandbox/salesforce/soql.ts';
import { FAST, quietLogger, sandboxEnv, testRedis, type TestRedis } from './helpers.ts';

const HOST = 'https://acme.my.salesforce.com';
const V = '/services/data/v65.0';
const ORG = '00D5g000004ABCDEAA';
const USER = '0055g00000AAAAAAAA';

describe('name search SOQL', () => {
  it('escapes quotes, backslashes and the LIKE wildcards', () => {
    expect(soqlLikeContains("O'Brien")).toBe("'%O\\'Brien%'");
    expect(soqlLikeContains('50%_off\\x')).toBe("'%50\\%\\_off\\\\x%'");
    expect(soqlLikeContains('a\nb')).toBe("'%ab%'");
  });

  it('matches accounts on Name, people word by word on first or last name, leads on their company too', () => {
    expect(nameSearchSoql('Account', " Acme's ", 20)).toBe("SELECT Id, Name, Website FROM Account WHERE Name LIKE '%Acme\\'s%' ORDER BY Name LIMIT 20");
    expect(nameSearchSoql('Contact', 'Jean Dupont', 5)).toBe(
      "SELECT Id, FirstName, LastName FROM Contact WHERE (FirstName LIKE '%Jean%' OR LastName LIKE '%Jean%') AND (FirstName LIKE '%Dupont%' OR LastName LIKE '%Dupont%') ORDER BY LastName LIMIT 5",
    );
    expect(nameSearchSoql('Lead', 'Acme', 500)).toBe("SELECT Id, FirstName, LastName, Company FROM Lead WHERE ((FirstName LIKE '%Acme%' OR LastName LIKE '%Acme%')) OR Company LIKE '%Acme%' ORDER BY LastName LIMIT 200");
  });

  it('the sandbox reads LIKE escapes as Salesforce documents them', () => {
    const where = (soql: string) => {
      const q = parseSoql(soql);
      return q.where?.kind === 'like' ? likePattern(q.where.pattern) : undefined;
    };
    expect(where("SELECT Id FROM Account WHERE Name LIKE 'Ter%'")?.test('Terra')).toBe(true);
    expect(where("SELECT Id FROM Account WHERE Name LIKE 'Ter\\%'")?.test('Terra')).toBe(false);
    expect(where("SELECT Id FROM Account WHERE Name LIKE 'Ter\\%'")?.test('Ter%')).toBe(true);
    expect(where("SELECT Id FROM Account WHERE Name LIKE 'Ter\\%%'")?.test('Ter%ra')).toBe(true);
    expect(where("SELECT Id FROM Account WHERE Name LIKE 'a\\_b'")?.test('axb')).toBe(false);
    expect(where("SELECT Id FROM Account WHERE Name LIKE 'a_b'")?.test('AXB')).toBe(true);
    expect(where("SELECT Id FROM Account WHERE Name LIKE '\\\\%'")?.test('\\anything')).toBe(true);
  });
});

describe('Salesforce searchByName (nock)', () => {
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    const env = sandboxEnv(HOST, { SALESFORCE_OBJECTS: 'Account,Lead' });
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
    nock(HOST)
      .post('/services/oauth2/token')
      .reply(200, { access_token: '00D5g!tok', instance_url: HOST, id: `${HOST}/id/${ORG}/${USER}`, token_type: 'Bearer', issued_at: '1', signature: 'x' });
  });
  afterEach(async () => {
    nock.cleanAll();
    await connector.close();
    await r.cleanup(prefix);
  });

  it('sends the query and maps accounts and leads', async () => {
    let q = '';
    nock(HOST)
      .get(`${V}/query`)
      .query((query) => {
        q = String(query['q']);
        return true;
      })
      .reply(200, { totalSize: 1, done: true, records: [{ attributes: { type: 'Account', url: `${V}/sobjects/Account/0015g00000Aaaa1AAA` }, Id: '0015g00000Aaaa1AAA', Name: '100% Bio', Website: 'bio.fr' }] });
    expect(await connector.searchByName('Account', '100%', 20)).toEqual([{ id: '0015g00000Aaaa1AAA', name: '100% Bio', detail: 'bio.fr' }]);
    expect(q).toBe("SELECT Id, Name, Website FROM Account WHERE Name LIKE '%100\\%%' ORDER BY Name LIMIT 20");
    nock(HOST)
      .get(`${V}/query`)
      .query(true)
      .reply(200, { totalSize: 1, done: true, records: [{ attributes: { type: 'Lead' }, Id: '00Q5g00000Bbbb1AAA', FirstName: null, LastName: 'Martin', Company: 'Acme' }] });
    expect(await connector.searchByName('Lead', 'martin', 20)).toEqual([{ id: '00Q5g00000Bbbb1AAA', name: 'Martin', detail: 'Acme' }]);
  });

  it('turns a refused query into a typed error', async () => {
    nock(HOST).get(`${V}/query`).query(true).reply(400, [{ errorCode: 'MALFORMED_QUERY', message: 'unexpected token' }]);
    await expect(connector.searchByName('Account', 'x', 20)).rejects.toBeInstanceOf(CrmValidationError);
  });
});

describe('Salesforce searchByName (sandbox)', () => {
  let sb: SalesforceSandbox;
  let r: TestRedis;
  let prefix: string;
  let connector: SalesforceConnector;
  beforeAll(async () => {
    sb = await startSalesforceSandbox();
    sb.store.seed({ accounts: 30, leads: 5, seed: 7, people: true });
    sb.store.create('Account', { Name: "O'Brien 100% Conseil" });
    sb.store.create('Account', { Name: 'O Brien 1000 Conseil' });
    const env = sandboxEnv(sb.url, { SALESFORCE_OBJECTS: 'Account,Lead' });
    prefix = env.REDIS_PREFIX;
    r = testRedis();
    connector = createSalesforceConnector({ env, redis: r.redis, logger: quietLogger() }, FAST);
  });
  afterAll(async () => {
    await connector.close();
    await r.cleanup(prefix);
    await sb.close();
  });

  it('finds an account whose name holds a quote and a percent sign, and only that one', async () => {
    expect((await connector.searchByName('Account', "o'brien 100%", 20)).map((m) => m.name)).toEqual(["O'Brien 100% Conseil"]);
    expect(await connector.searchByName('Account', '1_0', 20)).toEqual([]);
  });

  it('finds contacts by first and last name, and leads by company', async () => {
    const contact = [...sb.store.records.Contact.values()][0];
    const full = `${String(contact?.FirstName)} ${String(contact?.LastName)}`;
    const found = await connector.searchByName('Contact', full, 200);
    expect(found.map((f) => f.id)).toContain(contact?.Id);
    expect(found.every((f) => f.name.toLowerCase().includes(String(contact?.LastName).toLowerCase()))).toBe(true);
    const lead = [...sb.store.records.Lead.values()][0];
    const leads = await connector.searchByName('Lead', String(lead?.Company), 20);
    expect(leads.map((l) => l.id)).toContain(lead?.Id);
  });
});
