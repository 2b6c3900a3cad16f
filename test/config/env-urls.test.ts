/** Each URL setting accepts only its own schemes, and says which ones when it refuses. */
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/errors.ts';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    parseEnv(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

describe('URL settings', () => {
  it('REDIS_URL takes redis:// and rediss:// only', () => {
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:6379/2' })).toEqual([]);
    expect(problems({ REDIS_URL: 'rediss://user:pw@cache.example:6380' })).toEqual([]);
    expect(problems({ REDIS_URL: 'http://127.0.0.1:6379' })).toEqual(['env: REDIS_URL: must start with redis:// or rediss://, not http://']);
    expect(problems({ REDIS_URL: 'localhost:6379' })).toEqual(['env: REDIS_URL: must start with redis:// or rediss://, not localhost://']);
    expect(problems({ REDIS_URL: 'redis://' })).toEqual(['env: REDIS_URL: must name a host (redis://host…)']);
  });

  it.each(['HUBSPOT_BASE_URL', 'SALESFORCE_LOGIN_URL', 'PUBLIC_BASE_URL', 'RECHERCHE_ENTREPRISES_BASE_URL', 'PDL_BASE_URL'])(
    '%s takes http:// and https:// only',
    (key) => {
      expect(problems({ [key]: 'https://api.example.com/v5' })).toEqual([]);
      expect(problems({ [key]: 'http://127.0.0.1:8080' })).toEqual([]);
      expect(problems({ [key]: 'redis://127.0.0.1:6379' })).toEqual([`env: ${key}: must start with http:// or https://, not redis://`]);
      expect(problems({ [key]: 'file:///etc/passwd' })).toEqual([`env: ${key}: must start with http:// or https://, not file://`]);
      expect(problems({ [key]: 'not a url' })).toEqual([`env: ${key}: must be a URL starting with http:// or https://`]);
    },
  );
});
