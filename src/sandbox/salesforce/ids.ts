/** Salesforce-shaped record ids: a 3-character key prefix, a 12-character body, and the 3-character case suffix. */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BODY_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Key prefixes of the objects the sandbox knows (001 Account, 00Q Lead, 003 Contact, 006 Opportunity, 00K OpportunityContactRole, 005 User…). */
export const KEY_PREFIX = {
  Account: '001',
  Lead: '00Q',
  Contact: '003',
  Opportunity: '006',
  OpportunityContactRole: '00K',
  User: '005',
  Organization: '00D',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  OutboundNotification: '04l',
  OutboundAction: '04k',
  IngestJob: '750',
  QueryLocator: '01g',
} as const;

/** The 3-character suffix that makes a 15-character id case-insensitive. */
export function caseSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out += SUFFIX_ALPHABET.charAt(bits);
  }
  return out;
}

/** An 18-character id from a prefix and a sequence number (deterministic). */
export function makeId(prefix: string, seq: number): string {
  let body = '';
  let n = seq;
  for (let i = 0; i < 12; i += 1) {
    body = BODY_ALPHABET.charAt(n % 62) + body;
    n = Math.floor(n / 62);
  }
  const id15 = `${prefix}${body}`.slice(0, 15).padEnd(15, '0');
  return id15 + caseSuffix(id15);
}

/** Normalises a 15- or 18-character id to 18 characters; undefined when not id-shaped. */
export function to18(id: string): string | undefined {
  if (/^[a-zA-Z0-9]{18}$/.test(id)) return id.slice(0, 15) + caseSuffix(id.slice(0, 15));
  if (/^[a-zA-Z0-9]{15}$/.test(id)) return id + caseSuffix(id);
  return undefined;
}
