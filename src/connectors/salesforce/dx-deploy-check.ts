/**
 * What keeps the Salesforce DX project from being deployed with placeholder values: the committed copy
 * carries an endpoint and an integration user that cannot be real (the `.invalid` top-level domain is
 * reserved and never resolves, RFC 2606), `generate.ts` refuses to write placeholders unless asked to, and
 * `deploy.ts` refuses a project that still holds them before it calls `sf project deploy start`.
 */

/** The committed copy's outbound message endpoint and integration user: never deployable. */
export const PLACEHOLDER_ENDPOINT = 'https://icp-sync.invalid/webhooks/salesforce?token=CHANGE_ME';
export const PLACEHOLDER_USER = 'integration-user@icp-sync.invalid';

/** Hosts and domains that are documentation or test values, never a real endpoint or username. */
const NOT_REAL_DOMAIN = /(^|\.)(example\.(com|org|net)|invalid|test|localhost)$/i;
/** Tokens people leave in place of the real one. */
const PLACEHOLDER_TOKEN = /^(change_?me|replace_?me|changeme|todo|token|secret|xxx+|…|\.\.\.)$/i;
/** Salesforce sends outbound messages to ports 80, 443 and 7000–10000 only. */
const allowedPort = (port: number) => port === 80 || port === 443 || (port >= 7000 && port <= 10000);

/** Why `url` cannot be the outbound message endpoint; empty when it can. */
export function endpointProblems(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [`the endpoint "${url}" is not a URL`];
  }
  const problems: string[] = [];
  if (u.protocol !== 'https:') problems.push(`the endpoint must use https (got ${u.protocol.replace(':', '')})`);
  if (NOT_REAL_DOMAIN.test(u.hostname)) problems.push(`the endpoint host ${u.hostname} is a placeholder: use the public address of icp-sync (PUBLIC_BASE_URL)`);
  const port = u.port === '' ? 443 : Number(u.port);
  if (!allowedPort(port)) problems.push(`the endpoint port ${port} is refused by Salesforce (80, 443 or 7000–10000)`);
  if (!u.pathname.endsWith('/webhooks/salesforce')) problems.push(`the endpoint path must end with /webhooks/salesforce (got ${u.pathname})`);
  const token = u.searchParams.get('token');
  if (!token) problems.push('the endpoint has no ?token= (SALESFORCE_WEBHOOK_TOKEN)');
  else if (PLACEHOLDER_TOKEN.test(token)) problems.push(`the endpoint token "${token}" is a placeholder: use SALESFORCE_WEBHOOK_TOKEN`);
  return problems;
}

/** Why `username` cannot be the integration user the outbound messages are sent as; empty when it can. */
export function userProblems(username: string): string[] {
  const at = username.lastIndexOf('@');
  if (at <= 0 || at === username.length - 1) return [`the integration user "${username}" is not a Salesforce username (name@domain)`];
  const domain = username.slice(at + 1);
  return NOT_REAL_DOMAIN.test(domain) ? [`the integration user ${username} is a placeholder: use the integration user's username (SALESFORCE_USERNAME)`] : [];
}

const tagValues = (xml: string, tagName: string) => [...xml.matchAll(new RegExp(`<${tagName}>([^<]*)</${tagName}>`, 'g'))].map((m) => unescapeXml(m[1] ?? ''));
const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/**
 * Problems that must stop a deploy of the project, by file: endpoints and integration users of every
 * outbound message (`workflows/*.workflow-meta.xml`). `files` maps paths to contents.
 */
export function deployProblems(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  let outbound = 0;
  for (const [path, text] of files) {
    if (!path.endsWith('.workflow-meta.xml')) continue;
    for (const url of tagValues(text, 'endpointUrl')) {
      outbound += 1;
      problems.push(...endpointProblems(url).map((p) => `${path}: ${p}`));
    }
    for (const user of tagValues(text, 'integrationUser')) problems.push(...userProblems(user).map((p) => `${path}: ${p}`));
  }
  if (outbound === 0) problems.push('no outbound message found under force-app: run generate.ts first');
  return [...new Set(problems)];
}
