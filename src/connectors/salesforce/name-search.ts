/**
 * Record search by name for the console: one SOQL query per object type with `LIKE '%…%'` (escaped by
 * `soqlLikeContains`, so a `%`, `_` or quote typed by the user matches itself), ordered by name,
 * limited. Accounts match on `Name`; people on first or last name, every word of the text matching
 * one of them (`Jean Dupont`); leads also on their `Company`.
 */
import { z } from 'zod';
import type { RecordMatch } from '../port.ts';
import type { SalesforceClient } from './client.ts';
import { soqlLikeContains } from './soql.ts';

/** Longest text searched, and most words (each adds a condition to the query). */
export const NAME_QUERY_MAX = 100;
const MAX_WORDS = 4;
/** SOQL's own cap on LIMIT is far higher; the console shows a short list. */
const MAX_LIMIT = 200;

const row = z.looseObject({ Id: z.string(), Name: z.string().nullish(), FirstName: z.string().nullish(), LastName: z.string().nullish(), Company: z.string().nullish(), Website: z.string().nullish() });
const result = z.object({ records: z.array(row) });

/** The SOQL of a name search (exported for tests). */
export function nameSearchSoql(objectType: string, text: string, limit: number): string {
  const term = text.trim().slice(0, NAME_QUERY_MAX);
  const n = Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit)));
  if (objectType === 'Account') return `SELECT Id, Name, Website FROM Account WHERE Name LIKE ${soqlLikeContains(term)} ORDER BY Name LIMIT ${n}`;
  const words = term.split(/\s+/).filter((w) => w !== '').slice(0, MAX_WORDS);
  const person = (w: string) => `FirstName LIKE ${soqlLikeContains(w)} OR LastName LIKE ${soqlLikeContains(w)}`;
  if (objectType === 'Lead') {
    const where = `(${words.map((w) => `(${person(w)})`).join(' AND ')}) OR Company LIKE ${soqlLikeContains(term)}`;
    return `SELECT Id, FirstName, LastName, Company FROM Lead WHERE ${where} ORDER BY LastName LIMIT ${n}`;
  }
  return `SELECT Id, FirstName, LastName FROM ${objectType} WHERE ${words.map((w) => `(${person(w)})`).join(' AND ')} ORDER BY LastName LIMIT ${n}`;
}

export async function searchByName(client: SalesforceClient, objectType: string, text: string, limit: number): Promise<RecordMatch[]> {
  if (text.trim() === '' || limit <= 0) return [];
  const soql = nameSearchSoql(objectType, text, limit);
  const body = await client.rest('name search', { method: 'GET', url: `/query?q=${encodeURIComponent(soql)}` }, result);
  return body.records.slice(0, limit).map((r) => {
    const person = [r.FirstName, r.LastName].filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(' ');
    const name = r.Name ?? (person === '' ? r.Id : person);
    const detail = objectType === 'Lead' ? r.Company : objectType === 'Account' ? r.Website : undefined;
    return { id: r.Id, name, ...(detail === undefined || detail === null || detail === '' ? {} : { detail }) };
  });
}
