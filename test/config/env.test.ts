import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';

describe('tokens too easy to guess', () => {
  it.each(['changeme-changeme', 'password12345678', 'aaaaaaaaaaaaaaaaaaaa', '0123456789012345', 'admin-admin-token-123', 'test-admin-token-0123456789'])(
    'refuses %j as ADMIN_TOKEN and METRICS_TOKEN',
    (token) => {
      expect(() => parseEnv({ ADMIN_TOKEN: token })).toThrow(/ADMIN_TOKEN: is too easy to guess/);
      expect(() => parseEnv({ METRICS_TOKEN: token })).toThrow(/METRICS_TOKEN: is too easy to guess/);
    },
  );

  it('accepts a random token', () => {
    expect(parseEnv({ ADMIN_TOKEN: 'f3a9c1d27b8e4a60b5c9d1e2' }).ADMIN_TOKEN).toBe('f3a9c1d27b8e4a60b5c9d1e2');
  });
});
