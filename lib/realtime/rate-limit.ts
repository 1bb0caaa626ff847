// Per-socket limits on what a client may send. In memory: a socket lives on one sidecar, so its
// counters do too (unlike the HTTP limits in lib/rate-limit, which every app instance must share).

export interface TokenBucketOptions {
  /** Sustained events per second. */
  ratePerSecond: number;
  /** Events allowed at once after a quiet period. */
  burst: number;
  now?: () => number;
}

/** Starts full; each event takes a token; tokens come back at `ratePerSecond` up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? Date.now;
    this.tokens = options.burst;
    this.last = this.now();
  }

  take(cost = 1): boolean {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsed * this.options.ratePerSecond);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}

export interface SocketLimitOptions extends TokenBucketOptions {
  /** Refused events within `abuseWindowMs` after which the socket counts as abusive. */
  abuseThreshold: number;
  abuseWindowMs: number;
  /** At most one "rate_limited" notice per this many ms, so refusals do not become a flood of their own. */
  noticeIntervalMs: number;
}

export const DEFAULT_SOCKET_LIMITS: Omit<SocketLimitOptions, "now"> = {
  ratePerSecond: 20,
  burst: 40,
  // Sending at twice the allowed rate for ten seconds.
  abuseThreshold: 200,
  abuseWindowMs: 10_000,
  noticeIntervalMs: 1_000,
};

/** allow: handle it; limit: drop it (and tell the client if `notify`); abuse: disconnect. */
export type LimitVerdict = { action: "allow" } | { action: "limit"; notify: boolean } | { action: "abuse" };

export class SocketRateLimiter {
  private readonly bucket: TokenBucket;
  private readonly now: () => number;
  private windowStart: number;
  private refused = 0;
  private lastNotice = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: SocketLimitOptions = DEFAULT_SOCKET_LIMITS) {
    this.now = options.now ?? Date.now;
    this.bucket = new TokenBucket(options);
    this.windowStart = this.now();
  }

  check(): LimitVerdict {
    if (this.bucket.take()) return { action: "allow" };
    const now = this.now();
    if (now - this.windowStart > this.options.abuseWindowMs) {
      this.windowStart = now;
      this.refused = 0;
    }
    this.refused += 1;
    if (this.refused >= this.options.abuseThreshold) return { action: "abuse" };
    const notify = now - this.lastNotice >= this.options.noticeIntervalMs;
    if (notify) this.lastNotice = now;
    return { action: "limit", notify };
  }
}
