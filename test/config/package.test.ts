/**
 * The production install (`npm ci --omit=dev`, as the Dockerfile runs it) holds only what the
 * service imports, and every dependency is pinned to the exact version the lock file resolves.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js)$/.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('package.json', () => {
  it('lists as production dependencies only packages the service imports', () => {
    const code = [...sources('src'), ...sources('workers'), ...sources('bin')].join('\n');
    for (const name of Object.keys(pkg.dependencies)) {
      expect(code, `${name} is never imported by src/, workers/ or bin/: a devDependency`).toMatch(new RegExp(`(?:from |import\\()['"]${name.replace('/', '\\/')}(?:/[^'"]*)?['"]`));
    }
  });

  it('pins every dependency to the version in the lock file', () => {
    for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect(range, name).toBe(lock.packages[`node_modules/${name}`]?.version);
    }
  });
});
