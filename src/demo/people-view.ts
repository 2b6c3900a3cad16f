/**
 * The demo's buying-roles part (PRODUCT.md §2): the best accounts (Tier A when the sandbox has some)
 * with their people as the CRM holds them, then two live job-title changes made "by a sales rep" — one that makes a person a P1, one that
 * completes an account's buying committee — each reaching icp-sync as a webhook.
 */
import type { CrmConnector } from '../connectors/port.ts';
import { DEFAULT_PRIORITY_TIERS } from '../domain/roles.ts';
import type { IcpModel } from '../domain/types.ts';
import { text, type DemoCrm, type DemoRecord } from './demo-crm.ts';
import { DemoError, throwIfStopped } from './demo-error.ts';
import { outputName } from './live-edits.ts';
import type { DemoTerminal } from './terminal.ts';

/** CRM field names of the people and committee outputs. */
export interface PeopleFields {
  score: string;
  tier: string;
  coverage: string;
  missing: string;
  role: string;
  priority: string;
  priorityTier: string;
}

export function peopleFields(connector: CrmConnector, crm: DemoCrm): PeopleFields {
  return {
    score: outputName(connector, crm.objectType, 'score'),
    tier: outputName(connector, crm.objectType, 'tier'),
    coverage: outputName(connector, crm.objectType, 'committeeCoverage'),
    missing: outputName(connector, crm.objectType, 'missingRoles'),
    role: outputName(connector, crm.personType, 'buyingRole'),
    priority: outputName(connector, crm.personType, 'priorityScore'),
    priorityTier: outputName(connector, crm.personType, 'priorityTier'),
  };
}

function num(value: unknown): number | undefined {
  const t = text(value);
  if (t === null) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Scored accounts (not excluded), best score first, each with the people who count for it. */
function rankedAccounts(crm: DemoCrm, model: IcpModel, f: PeopleFields): Array<{ account: DemoRecord; people: DemoRecord[] }> {
  const byAccount = new Map<string, DemoRecord[]>();
  for (const p of crm.people()) {
    const account = crm.accountOf(p.id);
    if (account !== null) byAccount.set(account, [...(byAccount.get(account) ?? []), p]);
  }
  return crm
    .records()
    .filter((r) => num(r.fields[f.score]) !== undefined && r.fields[f.tier] !== model.excludedTier)
    .sort((a, b) => (num(b.fields[f.score]) ?? 0) - (num(a.fields[f.score]) ?? 0) || a.id.localeCompare(b.id))
    .map((account) => ({ account, people: byAccount.get(account.id) ?? [] }));
}

/** The best account tier that some account with people holds (A when there is one). */
export function bestTier(crm: DemoCrm, model: IcpModel, f: PeopleFields): string | undefined {
  const held = new Set(rankedAccounts(crm, model, f).filter((x) => x.people.length > 0).map((x) => text(x.account.fields[f.tier])));
  return [...model.tiers].sort((a, b) => b.min - a.min).find((t) => held.has(t.name))?.name;
}

function personName(crm: DemoCrm, p: DemoRecord): string {
  const name = [text(p.fields[crm.personFields.firstName]), text(p.fields[crm.personFields.lastName])].filter((x) => x !== null).join(' ');
  return name === '' ? p.id : name;
}

function roleLabel(model: IcpModel, id: string | null): string {
  if (id === null) return '?';
  return model.roles?.list.find((r) => r.id === id)?.label ?? id;
}

function personLine(crm: DemoCrm, model: IcpModel, f: PeopleFields, p: DemoRecord): string {
  const title = text(p.fields[crm.personFields.title]) ?? '(no title)';
  const role = text(p.fields[f.role]);
  return (
    `${personName(crm, p).padEnd(22)} ${title.slice(0, 34).padEnd(34)} ${roleLabel(model, role).padEnd(13)} ` +
    `priority ${(text(p.fields[f.priority]) ?? '?').padStart(3)} ${text(p.fields[f.priorityTier]) ?? '?'}`
  );
}

function accountLine(crm: DemoCrm, f: PeopleFields, a: DemoRecord): string {
  const missing = text(a.fields[f.missing]);
  return (
    `${text(a.fields[crm.fields.name]) ?? a.id} (id ${a.id}) score ${text(a.fields[f.score]) ?? '?'} (${text(a.fields[f.tier]) ?? '?'}), ` +
    `committee coverage ${text(a.fields[f.coverage]) ?? '?'} %, missing: ${missing ?? 'none'}`
  );
}

/** Prints a few top-tier accounts with their people, as the CRM holds them. */
export function printCommittees(crm: DemoCrm, model: IcpModel, f: PeopleFields, term: DemoTerminal, tier: string, count = 3): void {
  const shown = rankedAccounts(crm, model, f)
    .filter((x) => x.people.length > 0 && x.account.fields[f.tier] === tier)
    .slice(0, count);
  for (const { account, people } of shown) {
    term.line(`  ${accountLine(crm, f, account)}`);
    for (const p of people) term.line(`      ${personLine(crm, model, f, p)}`);
  }
  if (shown.length === 0) term.line(`  no ${tier} account has people`);
}

export interface PeopleEdit {
  kind: 'priority' | 'coverage';
  person: string;
  account: string;
  title: string;
}

/**
 * The two title changes, picked deterministically from what the CRM holds, best-scored accounts first
 * (the top tier when the CRM has one): a person without role who becomes their account's managing
 * director, and a person without role at an account with exactly one of two required roles covered,
 * who takes the missing one. A person without role has no explicit role the model knows, so the new
 * title decides.
 */
export function pickPeopleEdits(crm: DemoCrm, model: IcpModel, f: PeopleFields): PeopleEdit[] {
  const required = (model.roles?.list ?? []).filter((r) => r.required);
  const accounts = rankedAccounts(crm, model, f);
  const roleless = (people: readonly DemoRecord[]) => people.find((p) => p.fields[f.role] === 'none');
  const edits: PeopleEdit[] = [];
  const [decisionMaker, buyer] = required;
  if (required.length === 2 && decisionMaker && buyer) {
    for (const { account, people } of accounts) {
      if (num(account.fields[f.coverage]) !== 50) continue;
      const person = roleless(people);
      if (!person) continue;
      const held = new Set(people.map((p) => text(p.fields[f.role])));
      const missing = held.has(decisionMaker.id) ? buyer : decisionMaker;
      edits.push({ kind: 'coverage', person: person.id, account: account.id, title: missing.id === buyer.id ? 'DAF' : 'CEO' });
      break;
    }
  }
  for (const { account, people } of accounts) {
    if (edits.some((e) => e.account === account.id)) continue;
    const person = roleless(people);
    if (!person) continue;
    edits.unshift({ kind: 'priority', person: person.id, account: account.id, title: 'Directeur Général' });
    break;
  }
  return edits;
}

export interface PeopleEditsOptions {
  crm: DemoCrm;
  model: IcpModel;
  fields: PeopleFields;
  term: DemoTerminal;
  timeoutMs: number;
  signal: AbortSignal;
}

async function waitUntil(what: string, started: number, timeoutMs: number, signal: AbortSignal, done: () => boolean): Promise<number> {
  while (!done()) {
    throwIfStopped(signal);
    if (Date.now() - started > timeoutMs) throw new DemoError(`${what} did not reach the CRM within ${Math.round(timeoutMs / 1000)} s of its edit`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return (Date.now() - started) / 1000;
}

/** Makes the title changes one after the other, each shown before → after once the CRM holds the result. */
export async function runPeopleEdits(options: PeopleEditsOptions): Promise<number> {
  const { crm, model, fields: f, term, timeoutMs, signal } = options;
  const edits = pickPeopleEdits(crm, model, f);
  const topPriority = (model.priorityTiers ?? DEFAULT_PRIORITY_TIERS).reduce((a, b) => (b.min > a.min ? b : a)).name;
  for (const [i, edit] of edits.entries()) {
    const person = crm.person(edit.person);
    const account = crm.record(edit.account);
    if (!person || !account) continue;
    const oldTitle = text(person.fields[crm.personFields.title]) ?? '(no title)';
    const who = `${personName(crm, person)} (id ${person.id}) at ${text(account.fields[crm.fields.name]) ?? account.id} (id ${account.id})`;
    term.line(`  ${i + 1}. a sales rep changes the job title of ${who}: "${oldTitle}" → "${edit.title}"`);
    const before = {
      role: text(person.fields[f.role]),
      priority: text(person.fields[f.priority]),
      tier: text(person.fields[f.priorityTier]),
      coverage: text(account.fields[f.coverage]),
      missing: text(account.fields[f.missing]),
    };
    const started = Date.now();
    crm.editPerson(edit.person, { [crm.personFields.title]: edit.title });
    if (edit.kind === 'priority') {
      const seconds = await waitUntil(`the new role of person ${edit.person}`, started, timeoutMs, signal, () => text(crm.person(edit.person)?.fields[f.role]) !== before.role);
      const after = crm.person(edit.person)?.fields ?? {};
      term.line(
        `     role ${roleLabel(model, before.role)}, priority ${before.priority ?? '?'} (${before.tier ?? '?'}) → ` +
          `${roleLabel(model, text(after[f.role]))}, priority ${text(after[f.priority]) ?? '?'} (${text(after[f.priorityTier]) ?? '?'}), ` +
          `written back ${seconds.toFixed(1)} s after the edit`,
      );
      if (text(after[f.priorityTier]) === topPriority) term.line(`     now a ${topPriority}: the right person in the right account`);
    } else {
      const seconds = await waitUntil(`the committee of account ${edit.account}`, started, timeoutMs, signal, () => text(crm.record(edit.account)?.fields[f.coverage]) !== before.coverage);
      const after = crm.record(edit.account)?.fields ?? {};
      term.line(
        `     committee coverage ${before.coverage ?? '?'} % (missing: ${before.missing ?? 'none'}) → ` +
          `${text(after[f.coverage]) ?? '?'} % (missing: ${text(after[f.missing]) ?? 'none'}), written back ${seconds.toFixed(1)} s after the edit`,
      );
    }
  }
  if (edits.length === 0) term.line('  no scored account has a person without role to retitle');
  return edits.length;
}
