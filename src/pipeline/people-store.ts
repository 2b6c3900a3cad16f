/**
 * What the people of a CRM need to know of each other, kept in Redis so that every worker process
 * shares it and no person costs a call to learn its account's score: the fit of each account as
 * last computed, the (account, role) link of each person, and the people each account counts.
 * Links are swapped atomically by Lua scripts, so two batches never leave an account counting a
 * person that moved away.
 */
import type { Redis } from 'ioredis';
import type { CrmName } from '../errors.ts';
import type { PipelineKeys } from './keys.ts';
import { recordIdKey } from './record-ids.ts';

export interface AccountFit {
  score: number;
  tier: string;
  excluded: boolean;
}

/** A person's place: the account it counts for (null: none) and its role. */
export interface PersonLink {
  /** The person's id as the CRM gave it. */
  personId: string;
  accountId: string | null;
  role: string;
}

export interface LinkChange {
  personId: string;
  before: { accountId: string | null; role: string } | null;
  after: { accountId: string | null; role: string } | null;
}

// A link is stored as `accountKey<TAB>accountId<TAB>role` (both empty without an account).
// KEYS[1] person links; ARGV[1] account-people prefix, then (personKey, personId, link, accountKey, role)
// quintuples. Returns the previous link of each person (false when it had none).
const SAVE_LINKS = `
local out = {}
for i = 2, #ARGV, 5 do
  local person, id, new, account, role = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local old = redis.call('HGET', KEYS[1], person)
  if old ~= new then
    if old then
      local oldAccount = string.match(old, '^([^\t]*)')
      if oldAccount ~= '' then redis.call('HDEL', ARGV[1] .. oldAccount, id) end
    end
    redis.call('HSET', KEYS[1], person, new)
    if account ~= '' then redis.call('HSET', ARGV[1] .. account, id, role) end
  end
  table.insert(out, old or false)
end
return out
`;

// KEYS[1] person links; ARGV[1] account-people prefix, then (personKey, personId) pairs.
const REMOVE_PEOPLE = `
local out = {}
for i = 2, #ARGV, 2 do
  local old = redis.call('HGET', KEYS[1], ARGV[i])
  if old then
    redis.call('HDEL', KEYS[1], ARGV[i])
    local oldAccount = string.match(old, '^([^\\t]*)')
    if oldAccount ~= '' then redis.call('HDEL', ARGV[1] .. oldAccount, ARGV[i + 1]) end
  end
  table.insert(out, old or false)
end
return out
`;

// KEYS[1] account fits; ARGV (accountKey, fit) pairs. Returns the keys whose fit changed.
const SAVE_FITS = `
local changed = {}
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) ~= ARGV[i + 1] then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    table.insert(changed, ARGV[i])
  end
end
return changed
`;

function encodeFit(f: AccountFit): string {
  return `${f.score}\t${f.tier}\t${f.excluded ? 1 : 0}`;
}

function decodeFit(s: string | null): AccountFit | undefined {
  if (s === null) return undefined;
  const [score, tier, excluded] = s.split('\t');
  const n = Number(score);
  if (!Number.isFinite(n) || tier === undefined) return undefined;
  return { score: n, tier, excluded: excluded === '1' };
}

function decodeLink(s: unknown): LinkChange['before'] {
  if (typeof s !== 'string') return null;
  const [, accountId = '', role = ''] = s.split('\t');
  return { accountId: accountId === '' ? null : accountId, role };
}

export interface PeopleStore {
  /** Fits by account key (`recordIdKey`); accounts never scored are absent. */
  fits(crm: CrmName, accountIds: readonly string[]): Promise<Map<string, AccountFit>>;
  /** Saves fits; returns the ids whose fit differs from what was stored. */
  saveFits(crm: CrmName, fits: ReadonlyArray<{ accountId: string; fit: AccountFit }>): Promise<string[]>;
  /** Forgets deleted accounts; returns the ids of the people they counted. */
  removeAccounts(crm: CrmName, accountIds: readonly string[]): Promise<string[]>;
  /** Saves the links of people just scored; returns every link that changed, with before and after. */
  saveLinks(crm: CrmName, links: readonly PersonLink[]): Promise<LinkChange[]>;
  /** Forgets deleted people; returns their links as they were. */
  removePeople(crm: CrmName, personIds: readonly string[]): Promise<LinkChange[]>;
  /** The role ids held by the people of each account, by account key. */
  held(crm: CrmName, accountIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Person ids counted by these accounts. */
  peopleOf(crm: CrmName, accountIds: readonly string[]): Promise<string[]>;
}

export function createPeopleStore(redis: Redis, keys: PipelineKeys): PeopleStore {
  const accountKey = (crm: CrmName, id: string): string => recordIdKey(crm, id);

  async function runLinks(crm: CrmName, script: string, args: string[], personIds: readonly string[], after: (i: number) => LinkChange['after']): Promise<LinkChange[]> {
    if (personIds.length === 0) return [];
    const old = (await redis.eval(script, 1, keys.personLinks(crm), keys.accountPeoplePrefix(crm), ...args)) as unknown[];
    const out: LinkChange[] = [];
    personIds.forEach((personId, i) => {
      const before = decodeLink(old[i]);
      const now = after(i);
      const key = (id: string | null | undefined): string | undefined => (id == null ? undefined : accountKey(crm, id));
      if (key(before?.accountId) !== key(now?.accountId) || before?.role !== now?.role) out.push({ personId, before, after: now });
    });
    return out;
  }

  return {
    async fits(crm, accountIds) {
      const out = new Map<string, AccountFit>();
      const unique = [...new Set(accountIds.map((id) => accountKey(crm, id)))];
      if (unique.length === 0) return out;
      const values = await redis.hmget(keys.accountFits(crm), ...unique);
      unique.forEach((k, i) => {
        const fit = decodeFit(values[i] ?? null);
        if (fit) out.set(k, fit);
      });
      return out;
    },
    async saveFits(crm, fits) {
      if (fits.length === 0) return [];
      const byKey = new Map(fits.map((f) => [accountKey(crm, f.accountId), f]));
      const args = [...byKey].flatMap(([k, f]) => [k, encodeFit(f.fit)]);
      const changed = (await redis.eval(SAVE_FITS, 1, keys.accountFits(crm), ...args)) as string[];
      return changed.map((k) => byKey.get(k)?.accountId ?? k);
    },
    async removeAccounts(crm, accountIds) {
      if (accountIds.length === 0) return [];
      const ks = accountIds.map((id) => accountKey(crm, id));
      await redis.hdel(keys.accountFits(crm), ...ks);
      return this.peopleOf(crm, accountIds);
    },
    saveLinks(crm, links) {
      const args = links.flatMap((l) => {
        const key = l.accountId === null ? '' : accountKey(crm, l.accountId);
        return [accountKey(crm, l.personId), l.personId, `${key}\t${l.accountId ?? ''}\t${l.role}`, key, l.role];
      });
      return runLinks(crm, SAVE_LINKS, args, links.map((l) => l.personId), (i) => {
        const l = links[i];
        return l === undefined ? null : { accountId: l.accountId, role: l.role };
      });
    },
    removePeople(crm, personIds) {
      const args = personIds.flatMap((id) => [accountKey(crm, id), id]);
      return runLinks(crm, REMOVE_PEOPLE, args, personIds, () => null);
    },
    async held(crm, accountIds) {
      const out = new Map<string, string[]>();
      const unique = [...new Set(accountIds.map((id) => accountKey(crm, id)))];
      if (unique.length === 0) return out;
      const multi = redis.multi();
      for (const k of unique) multi.hvals(`${keys.accountPeoplePrefix(crm)}${k}`);
      const res = (await multi.exec()) ?? [];
      unique.forEach((k, i) => out.set(k, (res[i]?.[1] as string[] | undefined) ?? []));
      return out;
    },
    async peopleOf(crm, accountIds) {
      const unique = [...new Set(accountIds.map((id) => accountKey(crm, id)))];
      if (unique.length === 0) return [];
      const multi = redis.multi();
      for (const k of unique) multi.hkeys(`${keys.accountPeoplePrefix(crm)}${k}`);
      const res = (await multi.exec()) ?? [];
      return [...new Set(res.flatMap((r) => (r[1] as string[] | undefined) ?? []))];
    },
  };
}
