/**
 * The console's audit log: who did what, when (publishes, mapping changes, backfills, retries,
 * rescores), newest first, in one capped Redis list shared by every process.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Role } from './session.ts';

export type AuditAction = 'backfill' | 'retry' | 'rescore' | 'publish' | 'rollback' | 'mappings' | 'sign-in' | 'calibration';

export interface AuditEntry {
  /** ISO 8601 */
  at: string;
  who: string;
  role: Role;
  action: AuditAction;
  /** What exactly, in words (a CRM and object type, a version and its note, ids…). */
  details: string;
}

export interface AuditLog {
  record(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  list(limit?: number): Promise<AuditEntry[]>;
}

/** Entries kept; older ones are trimmed. */
export const AUDIT_KEEP = 5000;

const entrySchema = z.object({
  at: z.string(),
  who: z.string(),
  role: z.enum(['editor', 'viewer']),
  action: z.enum(['backfill', 'retry', 'rescore', 'publish', 'rollback', 'mappings', 'sign-in', 'calibration']),
  details: z.string(),
});

export function redisAuditLog(redis: Redis, key: string, now: () => Date = () => new Date()): AuditLog {
  return {
    async record(entry) {
      const full: AuditEntry = { at: now().toISOString(), ...entry };
      await redis.multi().lpush(key, JSON.stringify(full)).ltrim(key, 0, AUDIT_KEEP - 1).exec();
    },
    async list(limit = 200) {
      const raw = await redis.lrange(key, 0, limit - 1);
      return raw.flatMap((line) => {
        try {
          const parsed = entrySchema.safeParse(JSON.parse(line));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
    },
  };
}
