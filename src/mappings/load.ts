/**
 * Loads and validates `config/mappings.yaml` (path from `ICP_MAPPINGS_PATH`). Problems are reported
 * all at once as `mappings.yaml: hubspot.companies.attributes.country: what is wrong`.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { DEFAULT_MAPPINGS } from './defaults.ts';
import { mappingsFileSchema, type MappingsFile } from './schema.ts';
import type { AttributeMapping, Mappings, ObjectMapping } from './types.ts';
import { DEFAULT_VIEWS, mergeViews } from './views.ts';

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

function problemsOf(label: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issuePath(issue.path);
      return `${label}: ${where === '' ? '' : `${where}: `}unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    if (issue.code === 'invalid_key') {
      return `${label}: ${issuePath(issue.path)}: ${issue.issues[0]?.message ?? issue.message}`;
    }
    return `${label}: ${issuePath(issue.path) || '(root)'}: ${issue.message}`;
  });
}

function mergeObject(base: ObjectMapping | undefined, over: NonNullable<MappingsFile['hubspot']>['companies']): ObjectMapping {
  const attributes: Record<string, AttributeMapping> = { ...(base?.attributes ?? {}) };
  for (const [name, mapping] of Object.entries(over?.attributes ?? {})) {
    if (mapping === null) delete attributes[name];
    else attributes[name] = mapping;
  }
  return { attributes, outputs: { ...(base?.outputs ?? {}), ...(over?.outputs ?? {}) } };
}

/** Validates a parsed document and merges it over the defaults. Throws `ConfigError`. */
export function buildMappings(doc: unknown, label = 'mappings.yaml'): Mappings {
  const parsed = mappingsFileSchema.safeParse(doc ?? {});
  if (!parsed.success) throw new ConfigError(problemsOf(label, parsed.error));
  const file = parsed.data;
  return {
    hubspot: {
      companies: mergeObject(DEFAULT_MAPPINGS.hubspot.companies, file.hubspot?.companies),
      contacts: mergeObject(DEFAULT_MAPPINGS.hubspot.contacts, file.hubspot?.contacts),
    },
    salesforce: {
      Account: mergeObject(DEFAULT_MAPPINGS.salesforce.Account, file.salesforce?.Account),
      Lead: mergeObject(DEFAULT_MAPPINGS.salesforce.Lead, file.salesforce?.Lead),
      Contact: mergeObject(DEFAULT_MAPPINGS.salesforce.Contact, file.salesforce?.Contact),
    },
    views: mergeViews(DEFAULT_MAPPINGS.views ?? DEFAULT_VIEWS, file.views),
  };
}

export interface LoadMappingsOptions {
  /** File path; default `config/mappings.yaml`. */
  path?: string;
  /**
   * When false (the path is the default one, not set by the user), a missing file means the built-in
   * defaults. When true, a missing file is an error.
   */
  required?: boolean;
}

/** Reads, parses and validates the mappings file. Throws `ConfigError` with every problem. */
export async function loadMappings(options: LoadMappingsOptions = {}): Promise<Mappings> {
  return (await readMappingsFile(options)).mappings;
}

/**
 * As {@link loadMappings}, with the text read and its path (both absent when a default path has no
 * file: the built-in defaults hold), for registering the file in the mappings history.
 */
export async function readMappingsFile(options: LoadMappingsOptions = {}): Promise<{ mappings: Mappings; text?: string; path?: string }> {
  const path = options.path ?? 'config/mappings.yaml';
  const label = basename(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && options.required !== true) return { mappings: DEFAULT_MAPPINGS };
    throw new ConfigError([`${label}: cannot read ${path}: ${(err as Error).message}`]);
  }
  return { mappings: parseMappingsText(text, label), text, path };
}

/**
 * Parses and validates mappings text (the file's content, or an edit in the console) with the
 * messages of a start. Throws `ConfigError`.
 */
export function parseMappingsText(text: string, label = 'mappings.yaml'): Mappings {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      throw new ConfigError([`${label}: ${at ? `line ${at.line}, column ${at.col}: ` : ''}${err.message.split('\n')[0] ?? ''}`]);
    }
    throw err;
  }
  return buildMappings(doc, label);
}
