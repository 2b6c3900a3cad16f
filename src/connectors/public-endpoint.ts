/**
 * The URL a CRM calls back (HubSpot webhooks, Salesforce outbound messages) must be one the CRM can reach
 * and one somebody actually chose: setup-as-code generated from a placeholder (`icp-sync.example.com`,
 * `token=CHANGE_ME`) would deploy cleanly and then deliver every change into the void. Both generators
 * refuse such URLs with a message that says what to set.
 */

/** Hosts reserved for documentation and testing (RFC 2606, RFC 6761) or private to a machine/network. */
const RESERVED_SUFFIXES = ['.example', '.invalid', '.test', '.localhost', '.local', '.internal'];
const EXAMPLE_DOMAINS = ['example.com', 'example.net', 'example.org'];

/** Values people leave in templates. Compared case-insensitively. */
const PLACEHOLDER_VALUES = new Set(['change_me', 'changeme', 'change-me', 'todo', 'xxx', 'secret', 'token', 'your-token', 'your_token']);

export function isPlaceholderValue(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v === '' || PLACEHOLDER_VALUES.has(v) || /^<.*>$/.test(v) || /^\.+$/.test(v);
}

function isPrivateIp(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === '::1' || h === '::' || /^f[cd][0-9a-f]{2}:/i.test(h) || /^fe80:/i.test(h)) return true;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** Why `host` cannot be a CRM's callback host, or undefined when it can. */
export function unreachableHostReason(host: string): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || RESERVED_SUFFIXES.some((s) => h.endsWith(s))) return `${h} is reserved for local or test use and cannot be reached by the CRM`;
  if (EXAMPLE_DOMAINS.some((d) => h === d || h.endsWith(`.${d}`))) return `${h} is a documentation placeholder`;
  if (isPrivateIp(h)) return `${h} is a private or loopback address the CRM cannot reach`;
  return undefined;
}

/**
 * Parses `publicBaseUrl` (the `PUBLIC_BASE_URL` setting) for a CRM callback and returns it without a trailing
 * slash; throws a `RangeError` naming the setting when the URL is not https or not a real public host.
 */
export function publicCallbackBase(publicBaseUrl: string | undefined, crm: string): string {
  if (!publicBaseUrl) throw new RangeError(`PUBLIC_BASE_URL is not set: put the public https URL ${crm} will call (e.g. https://icp-sync.your-company.com) in .env`);
  let base: URL;
  try {
    base = new URL(publicBaseUrl);
  } catch {
    throw new RangeError(`PUBLIC_BASE_URL is not a URL: "${publicBaseUrl}"`);
  }
  if (base.protocol !== 'https:') throw new RangeError(`PUBLIC_BASE_URL must be https for ${crm} callbacks, got ${base.protocol}//${base.host}`);
  const why = unreachableHostReason(base.hostname);
  if (why) throw new RangeError(`PUBLIC_BASE_URL ${base.origin}: ${why}; set the public URL of this icp-sync in .env`);
  if (base.search || base.hash) throw new RangeError(`PUBLIC_BASE_URL must not carry a query or fragment, got ${publicBaseUrl}`);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
}
