/**
 * The files operators copy: `.env.example` documents every environment key and parses as is;
 * the compose file and the Dockerfile keep the properties the operations guide promises.
 */
import { readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { envSchema, parseEnv } from '../../src/config/env.ts';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

describe('.env.example', () => {
  const text = read('.env.example');

  it('documents every key of the environment schema', () => {
    const documented = new Set([...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const missing = Object.keys(envSchema.shape).filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
  });

  it('is a valid configuration once copied to .env', () => {
    expect(() => parseEnv(parseDotenv(text))).not.toThrow();
  });
});

const composeSchema = z.object({
  services: z.object({
    redis: z.object({ image: z.string(), command: z.array(z.string()), volumes: z.array(z.string()) }),
    app: z.object({
      build: z.string(),
      command: z.string(),
      env_file: z.array(z.object({ path: z.literal('.env'), required: z.literal(false) })),
      environment: z.record(z.string(), z.string()),
      depends_on: z.object({ redis: z.object({ condition: z.literal('service_healthy') }) }),
      stop_grace_period: z.string(),
      ports: z.array(z.string()),
    }),
  }),
});

describe('docker-compose.yml', () => {
  const compose = composeSchema.parse(parseYaml(read('docker-compose.yml')));

  it('runs Redis with AOF and without eviction', () => {
    const cmd = compose.services.redis.command.join(' ');
    expect(cmd).toContain('--appendonly yes');
    expect(cmd).toContain('--maxmemory-policy noeviction');
  });

  it('runs the demo by default and the service only when .env says ICP_SYNC_COMMAND=start', () => {
    expect(compose.services.app.command).toBe('node bin/icp-sync.js ${ICP_SYNC_COMMAND:-demo --keep-running}');
    expect(compose.services.app.environment.REDIS_URL).toBe('redis://redis:6379');
    // Copying the example as it is must not switch compose from the demo to the service.
    expect(parseDotenv(read('.env.example')).ICP_SYNC_COMMAND).toBeUndefined();
    expect(read('.env.example')).toMatch(/^# ICP_SYNC_COMMAND=start$/m);
  });

  it('publishes the port on the loopback interface unless ICP_SYNC_BIND says otherwise', () => {
    expect(compose.services.app.ports).toEqual(['${ICP_SYNC_BIND:-127.0.0.1}:${ICP_SYNC_PORT:-3000}:3000']);
    expect(read('.env.example')).toMatch(/^# ICP_SYNC_BIND=127\.0\.0\.1$/m);
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');

  it('is multi-stage, installs production dependencies only, runs as a non-root user with a healthcheck', () => {
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(text).toMatch(/^CMD \["node", "bin\/icp-sync.js", "start"\]$/m);
  });

  it('copies every folder the service imports at run time', () => {
    for (const dir of ['bin', 'src', 'workers', 'config']) expect(text).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
  });
});
