/**
 * Rate limiting shared by every icp-sync process: a sliding-window limiter with a shared pause
 * (`RedisRateLimiter`), a leased concurrency semaphore (`RedisSemaphore`), and an in-process
 * limiter for single short runs without Redis (`MemoryRateLimiter`). Key layout: `keys.ts`.
 */
export type { RateLimiter, RateLimitRule } from './limiter.ts';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-limiter.ts';
export { MemoryRateLimiter } from './memory-limiter.ts';
export { RedisSemaphore, type Permit, type SemaphoreOptions } from './semaphore.ts';
