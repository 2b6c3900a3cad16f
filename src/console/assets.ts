/**
 * The console's stylesheet and script, read once from `assets/` and served by the console itself
 * (no third party, no build step), with a content hash as ETag.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export interface Asset {
  type: string;
  body: Buffer;
  etag: string;
}

const FILES: Readonly<Record<string, string>> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
};

export async function loadAssets(): Promise<ReadonlyMap<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(FILES)) {
    const body = await readFile(new URL(`./assets/${name}`, import.meta.url));
    assets.set(name, { type, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }
  return assets;
}
