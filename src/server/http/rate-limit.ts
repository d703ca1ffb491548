import type { DutymapRepository } from '../storage/repository';

/**
 * At most `limit` hits per fixed window of `windowSeconds`. The counts live in the database
 * (table rate_limits), so every instance behind one database enforces one limit together.
 * A fixed window lets a burst of up to twice the limit through across a window boundary; that
 * is enough to stop password guessing and a runaway client, which is all it is for.
 */
export interface RateRule {
  limit: number;
  windowSeconds: number;
}

export interface RateVerdict {
  allowed: boolean;
  /** Hits counted in the current window (this one included when counted). */
  hits: number;
  /** Seconds until the current window ends (what Retry-After says when not allowed). */
  retryAfterSeconds: number;
}

/** Windows older than a day are forgotten as new hits arrive. */
const FORGET_AFTER_MS = 24 * 3600 * 1000;

function windowOf(rule: RateRule, nowMs: number) {
  const windowMs = rule.windowSeconds * 1000;
  const start = Math.floor(nowMs / windowMs) * windowMs;
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - nowMs) / 1000)) };
}

/** Whether one more hit would still be allowed, without counting one (sign-in checks before it verifies). */
export async function peekRate(repo: DutymapRepository, bucket: string, rule: RateRule, nowMs: number): Promise<RateVerdict> {
  const window = windowOf(rule, nowMs);
  const hits = await repo.rateHits(bucket, window.start);
  return { allowed: hits < rule.limit, hits, retryAfterSeconds: window.retryAfterSeconds };
}

/** Counts a hit; allowed while the window's count, this hit included, stays within the limit. */
export async function countRate(repo: DutymapRepository, bucket: string, rule: RateRule, nowMs: number): Promise<RateVerdict> {
  const window = windowOf(rule, nowMs);
  const hits = await repo.addRateHit(bucket, window.start, nowMs - FORGET_AFTER_MS);
  return { allowed: hits <= rule.limit, hits, retryAfterSeconds: window.retryAfterSeconds };
}

/** "12 分钟" or "40 秒": how long to wait, in Chinese, for a message a person reads. */
export function waitTextZh(seconds: number): string {
  return seconds < 90 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
}

/** "12 minutes" or "40 seconds": how long to wait, for a message a person reads. */
export function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
