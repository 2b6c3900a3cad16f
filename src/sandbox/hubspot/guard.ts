/**
 * What runs before every sandbox route: request counting, latency, bearer auth and scopes, injected
 * faults, the rolling 10-second limit, the search per-second limit and the daily budget, with
 * HubSpot's `X-HubSpot-RateLimit-*` headers (absent on search responses, as documented at
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { missingScopesBody, rateLimitBody, serverErrorBody, unauthorizedBody } from './error-bodies.ts';
import type { SandboxStore, SandboxTokenInfo } from './store.ts';

export interface RouteConfig {
  /** Route name used in stats and faults (`companies.batchUpdate`). */
  name: string;
  /** Scope the call needs; undefined for token introspection. */
  scope?: string;
  search?: boolean;
  /** Reachable without a bearer token (token introspection). */
  public?: boolean;
}

const TEN_SECONDS = 10_000;

/** Sliding logs of request times, per token. */
export class SandboxRateState {
  private readonly burst = new Map<string, number[]>();
  private readonly search = new Map<string, number[]>();

  private take(map: Map<string, number[]>, token: string, windowMs: number, limit: number): { ok: boolean; used: number } {
    const now = Date.now();
    const log = (map.get(token) ?? []).filter((t) => t > now - windowMs);
    map.set(token, log);
    if (log.length >= limit) return { ok: false, used: log.length };
    log.push(now);
    return { ok: true, used: log.length };
  }

  takeBurst(token: string, limit: number) {
    return this.take(this.burst, token, TEN_SECONDS, limit);
  }

  takeSearch(token: string, limit: number) {
    return this.take(this.search, token, 1_000, limit);
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    sandboxToken?: SandboxTokenInfo;
  }
}

export function createGuard(store: SandboxStore, rate: SandboxRateState) {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const config = request.routeOptions.config as Partial<RouteConfig>;
    const name = config.name;
    if (name === undefined) return;
    store.countRequest(name);
    if (store.latencyMs > 0) await sleep(store.latencyMs);
    if (config.public) return;

    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const info = store.tokens.get(token);
    if (!info) {
      await reply.code(401).send(unauthorizedBody());
      return;
    }
    request.sandboxToken = info;
    if (config.scope !== undefined && !info.scopes.includes(config.scope)) {
      await reply.code(403).send(missingScopesBody(config.scope));
      return;
    }

    const fault = store.takeFault(name);
    if (fault) {
      if (fault.status === 0) {
        request.raw.socket.destroy();
        reply.hijack();
        return;
      }
      if (fault.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(fault.retryAfterSeconds));
      if (fault.status === 429) {
        store.rateLimited += 1;
        await reply.code(429).send(rateLimitBody(fault.policyName ?? 'TEN_SECONDLY_ROLLING'));
      } else {
        await reply.code(fault.status).send(serverErrorBody(fault.status));
      }
      return;
    }

    const limits = store.limits;
    if (limits.dailyRemaining <= 0) {
      store.rateLimited += 1;
      await reply.code(429).send(rateLimitBody('DAILY'));
      return;
    }
    if (config.search) {
      if (!store.tokens.has(token) || !rate.takeSearch(token, limits.searchPerSecond).ok) {
        store.rateLimited += 1;
        await reply.code(429).send(rateLimitBody('SECONDLY'));
        return;
      }
      limits.dailyRemaining -= 1;
      return;
    }
    const burst = rate.takeBurst(token, limits.per10s);
    void reply.headers({
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS),
      'X-HubSpot-RateLimit-Max': String(limits.per10s),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, limits.per10s - burst.used)),
      'X-HubSpot-RateLimit-Daily': String(limits.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, limits.dailyRemaining - (burst.ok ? 1 : 0))),
    });
    if (!burst.ok) {
      store.rateLimited += 1;
      await reply.code(429).send(rateLimitBody('TEN_SECONDLY_ROLLING'));
      return;
    }
    limits.dailyRemaining -= 1;
  };
}
