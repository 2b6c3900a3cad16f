import { describe, expect, it } from 'vitest';
import { compareRows, matches } from '../../../src/sandbox/salesforce/soql-eval.ts';
import { SoqlError, parseSoql } from '../../../src/sandbox/salesforce/soql.ts';

const rows = [
  { Id: '001A', Name: "O'Brien Ltd", SystemModstamp: '2026-11-26T10:00:00.000+0000', NumberOfEmployees: 10, ICP_Tags__c: 'saas;fintech' },
  { Id: '001B', Name: 'Nova SAS', SystemModstamp: '2026-11-26T10:00:00.000+0000', NumberOfEmployees: null, ICP_Tags__c: null },
  { Id: '001C', Name: 'Atlas GmbH', SystemModstamp: '2026-11-26T10:00:05.000+0000', NumberOfEmployees: 500, ICP_Tags__c: 'saas' },
];

const run = (soql: string) => {
  const q = parseSoql(soql);
  return rows.filter((r) => matches(r, q.where)).sort((a, b) => compareRows(a, b, q.orderBy)).map((r) => r.Id);
};

describe('sandbox SOQL subset', () => {
  it('runs the connector keyset query for incremental listings', () => {
    expect(
      run(
        "SELECT Id, SystemModstamp, Name FROM Account WHERE SystemModstamp >= 2026-11-26T10:00:00Z AND (SystemModstamp > 2026-11-26T10:00:00Z OR (SystemModstamp = 2026-11-26T10:00:00Z AND Id > '001A')) ORDER BY SystemModstamp ASC, Id ASC",
      ),
    ).toEqual(['001B', '001C']);
  });

  it('handles escaped strings, IN, LIKE, INCLUDES, null and NULLS LAST ordering', () => {
    expect(run("SELECT Id FROM Account WHERE Name = 'O\\'Brien Ltd'")).toEqual(['001A']);
    expect(run("SELECT Id FROM Account WHERE Id IN ('001A', '001C') ORDER BY Id DESC")).toEqual(['001C', '001A']);
    expect(run("SELECT Id FROM Account WHERE Name LIKE 'nova%'")).toEqual(['001B']);
    expect(run("SELECT Id FROM Account WHERE ICP_Tags__c INCLUDES ('fintech')")).toEqual(['001A']);
    expect(run('SELECT Id FROM Account WHERE NumberOfEmployees = null')).toEqual(['001B']);
    expect(run('SELECT Id FROM Account WHERE NOT NumberOfEmployees < 100 ORDER BY NumberOfEmployees ASC NULLS LAST')).toEqual(['001C', '001B']);
  });

  it('parses LIMIT and OFFSET and refuses what it does not know', () => {
    expect(parseSoql('SELECT Id FROM Lead LIMIT 10 OFFSET 5')).toMatchObject({ object: 'Lead', limit: 10, offset: 5 });
    for (const bad of ['SELECT FROM Account', "SELECT Id FROM Account WHERE Name = 'open", 'SELECT Id FROM Account WHERE Id ~ 1', 'DELETE FROM Account']) {
      expect(() => parseSoql(bad), bad).toThrow(SoqlError);
    }
  });
});
