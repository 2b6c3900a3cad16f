/**
 * Display labels of HubSpot property options (`industry`: value `COMPUTER_SOFTWARE`, label
 * "Computer Software"), for the reasons text. One properties listing per object type
 * (`GET /crm/v3/properties/{objectType}`, every property with its `options[] {label, value}`),
 * trusted for `OPTION_LABELS_TTL_MS`, so an option renamed in HubSpot shows up without a restart.
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
import { z } from 'zod';
import type { Logger } from '../../logging.ts';
import type { HubSpotHttpClient } from './http-client.ts';
import { OPTION_LABELS_TTL_MS } from './limits.ts';
import type { HubSpotPaths } from './paths.ts';

const propertiesSchema = z.object({
  results: z.array(
    z.looseObject({
      name: z.string(),
      options: z.array(z.looseObject({ label: z.string(), value: z.string() })).optional(),
    }),
  ),
});

type Labels = ReadonlyMap<string, ReadonlyMap<string, string>>;

const NONE: Labels = new Map();

export class OptionLabels {
  private readonly entries = new Map<string, { labels: Promise<Labels>; at: number }>();
  private readonly client: Pick<HubSpotHttpClient, 'request'>;
  private readonly paths: HubSpotPaths;
  private readonly logger: Logger;
  private readonly now: () => number;
  constructor(client: Pick<HubSpotHttpClient, 'request'>, paths: HubSpotPaths, logger: Logger, now: () => number = Date.now) {
    this.client = client;
    this.paths = paths;
    this.logger = logger;
    this.now = now;
  }

  /** field → (value → label) for the `fields` of `objectType` that have options; empty when the read failed. */
  async of(objectType: string, fields: readonly string[]): Promise<Labels> {
    const all = await this.all(objectType);
    const out = new Map<string, ReadonlyMap<string, string>>();
    for (const f of fields) {
      const labels = all.get(f);
      if (labels) out.set(f, labels);
    }
    return out;
  }

  private all(objectType: string): Promise<Labels> {
    const cached = this.entries.get(objectType);
    if (cached && this.now() - cached.at < OPTION_LABELS_TTL_MS) return cached.labels;
    const entry = { labels: this.read(objectType), at: this.now() };
    this.entries.set(objectType, entry);
    void entry.labels.then((labels) => {
      // A failed read is not kept: the next batch asks again.
      if (labels === NONE && this.entries.get(objectType) === entry) this.entries.delete(objectType);
    });
    return entry.labels;
  }

  private async read(objectType: string): Promise<Labels> {
    try {
      const res = await this.client.request({ method: 'GET', path: this.paths.properties(objectType), query: { archived: false }, label: `list ${objectType} properties` });
      const parsed = propertiesSchema.safeParse(res.body);
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'unexpected shape');
      const out = new Map<string, ReadonlyMap<string, string>>();
      for (const p of parsed.data.results) {
        if (!p.options || p.options.length === 0) continue;
        out.set(p.name, new Map(p.options.map((o) => [o.value, o.label])));
      }
      return out;
    } catch (err) {
      // Labels only make the reasons easier to read: without them the values are shown.
      this.logger.warn({ crm: 'hubspot', objectType, err: (err as Error).message }, 'property option labels not read: reasons show option values');
      return NONE;
    }
  }
}
