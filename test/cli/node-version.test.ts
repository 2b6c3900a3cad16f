/**
 * The Node.js minimum is one number: bin/icp-sync.js checks it before loading anything, and it is
 * what the installed dependencies declare they need, what package.json says, and what CI and the
 * image use.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './run-cli.ts';

const bin = readFileSync(join(repoRoot, 'bin/icp-sync.js'), 'utf8');
const minimum = /var MINIMUM = '(\d+\.\d+\.\d+)'/.exec(bin)?.[1] ?? '';
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };

const parts = (v: string) => v.split('.').map(Number);
const cmp = (a: string, b: string) => {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/** Lower bounds of `>=X.Y.Z` engine ranges of every installed package (the only form that binds on Node 22+). */
function declaredMinimums(): { name: string; min: string }[] {
  const out: { name: string; min: string }[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry.startsWith('@')) {
        visit(path);
        continue;
      }
      const manifest = join(path, 'package.json');
      if (!existsSync(manifest)) continue;
      const p = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; engines?: { node?: string } };
      const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(p.engines?.node?.trim() ?? '');
      if (m) out.push({ name: p.name ?? entry, min: `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}` });
    }
  };
  visit(join(repoRoot, 'node_modules'));
  return out;
}

describe('Node.js minimum', () => {
  it('is the same in bin/icp-sync.js, package.json engines and .ci/run; the image runs 24', () => {
    expect(minimum).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.engines.node).toBe(`>=${minimum}`);
    expect(readFileSync(join(repoRoot, '.ci/run'), 'utf8')).toContain(`NODE_MINIMUM=${minimum}\n`);
    expect(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).toMatch(/NODE_IMAGE=node:24/);
  });

  it('covers what every installed dependency declares', () => {
    const needs = declaredMinimums().filter((d) => cmp(d.min, minimum) > 0);
    expect(needs).toEqual([]);
  });

  it('an older Node.js gets one line before anything is loaded', () => {
    // Run the launcher under this Node.js with its version made to look older.
    const script = `Object.defineProperty(process.versions, 'node', { value: '20.11.1' }); await import(${JSON.stringify(join(repoRoot, 'bin/icp-sync.js'))});`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, 'validate'], { encoding: 'utf8' });
    expect(r.stderr).toBe(`icp-sync needs Node.js ${minimum} or newer (24 LTS recommended); this is Node.js 20.11.1.\n`);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
  });

  it('the launcher is plain JavaScript that old parsers accept (no top-level await, static import or import.meta)', () => {
    const code = bin.replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/^\s*import\s[^(]/m);
    expect(code).not.toMatch(/\bawait\b|import\.meta|\blet\b|\bconst\b|=>/);
  });
});
