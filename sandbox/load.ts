import http from "node:http";
import { z } from "zod";
import { metaMessageEvent, whatsappContact, whatsappMessage } from "./events";
import { PLATFORMS, type Fixture, type Platform } from "./fixture";
import { digitsFrom, liveSeed, messageIdFrom } from "./ids";
import { metaJsonStringify, signatureHeaders } from "./meta-json";
import { isLoopbackUrl, postRaw } from "./post";
import { sampleFor } from "./samples";
import { SandboxState, type Account, type Customer, type StoredMessage } from "./state";
import { buildPayload } from "./webhooks";

// Scripted load: N signed webhook events at R per second against the app's webhook endpoints, each a
// new message from a fixture customer, with a latency report. Bounded (count, rate, duration,
// concurrency) and loopback-only, so it can never become a flood against another machine.

export const LOAD_LIMITS = {
  maxCount: 100_000,
  maxRatePerSecond: 5_000,
  maxDurationMs: 10 * 60_000,
  maxConcurrency: 256,
} as const;
export const LOAD_KINDS = ["text", "image", "audio", "file"] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

export const loadInput = z
  .object({
    platform: z.enum([...PLATFORMS, "mix"]).default("mix"),
    count: z.number().int().min(1).max(LOAD_LIMITS.maxCount),
    ratePerSecond: z.number().positive().max(LOAD_LIMITS.maxRatePerSecond),
    kinds: z.array(z.enum(LOAD_KINDS)).min(1).default(["text"]),
    concurrency: z.number().int().min(1).max(LOAD_LIMITS.maxConcurrency).default(32),
    timeoutMs: z.number().int().min(50).max(60_000).default(10_000),
    maxDurationMs: z.number().int().min(100).max(LOAD_LIMITS.maxDurationMs).default(LOAD_LIMITS.maxDurationMs),
  })
  .strict();
export type LoadInput = z.input<typeof loadInput>;

export interface LoadOptions extends LoadInput {
  webhookBaseUrl: string;
  appSecret: string;
  instagramAppSecret?: string;
  fixture: Fixture;
  /** Where attachment URLs point (the sandbox's public URL); default http://127.0.0.1:3002. */
  publicUrl?: string;
  now?: () => Date;
}

export interface LoadReport {
  sent: number;
  acked: number;
  failed: number;
  statusCounts: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  durationMs: number;
  stoppedBy: "count" | "duration";
}

export class LoadError extends Error {
  override name = "LoadError";
}

const PATHS: Record<Platform, string> = {
  messenger: "/api/webhooks/messenger",
  instagram: "/api/webhooks/instagram",
  whatsapp: "/api/webhooks/whatsapp",
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[index] ?? 0) * 100) / 100;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const input = loadInput.parse({
    platform: options.platform,
    count: options.count,
    ratePerSecond: options.ratePerSecond,
    kinds: options.kinds,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    maxDurationMs: options.maxDurationMs,
  });
  const base = new URL(options.webhookBaseUrl);
  if (!isLoopbackUrl(base)) throw new LoadError(`load runs only against this machine (loopback); ${base.host} is not`);
  const now = options.now ?? (() => new Date());
  const publicUrl = options.publicUrl ?? "http://127.0.0.1:3002";
  const world = new SandboxState(options.fixture, () => publicUrl, now);
  const platforms = input.platform === "mix" ? [...PLATFORMS] : [input.platform];
  const senders = platforms.flatMap((platform) =>
    [...world.customers.values()]
      .filter((customer) => customer.platform === platform)
      .flatMap((customer) => {
        const account = world.accounts.get(customer.accountId);
        return account ? [{ account, customer }] : [];
      }),
  );
  if (senders.length === 0) throw new LoadError(`the fixture has no customers for ${input.platform}`);

  const agent = new http.Agent({ keepAlive: true, maxSockets: input.concurrency });
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let acked = 0;
  let sent = 0;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  let stoppedBy: LoadReport["stoppedBy"] = "count";

  for (let i = 0; i < input.count; i++) {
    const due = started + (i * 1000) / input.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (performance.now() - started >= input.maxDurationMs) {
      stoppedBy = "duration";
      break;
    }
    while (inFlight >= input.concurrency) await new Promise<void>((resolve) => (wake = resolve));
    const sender = senders[i % senders.length];
    const kind = input.kinds[i % input.kinds.length] ?? "text";
    if (!sender) break;
    const { platform, body } = loadEvent(world, sender.account, sender.customer, kind, i, now().getTime());
    const bytes = Buffer.from(body);
    const secret = platform === "instagram" ? (options.instagramAppSecret ?? options.appSecret) : options.appSecret;
    inFlight++;
    sent++;
    const request = postRaw(
      new URL(PATHS[platform], base),
      bytes,
      { "content-type": "application/json", "user-agent": "facebookexternalua", ...signatureHeaders(bytes, secret) },
      input.timeoutMs,
      agent,
    ).then((result) => {
      const key = result.status === null ? (result.error?.startsWith("timeout") ? "timeout" : "error") : String(result.status);
      statusCounts[key] = (statusCounts[key] ?? 0) + 1;
      if (result.status === 200) acked++;
      if (result.status !== null) latencies.push(result.latencyMs);
      inFlight--;
      const resume = wake;
      wake = null;
      resume?.();
    });
    pending.add(request);
    void request.finally(() => pending.delete(request));
  }
  await Promise.all(pending);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    sent,
    acked,
    failed: sent - acked,
    statusCounts,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
    },
    durationMs: Math.round(performance.now() - started),
    stoppedBy,
  };
}

/** One new, unique incoming message as a complete signed-ready webhook body. */
function loadEvent(world: SandboxState, account: Account, customer: Customer, kind: LoadKind, index: number, at: number) {
  const thread = world.threadFor(customer);
  const sample = kind === "text" ? null : sampleFor(kind);
  const message: StoredMessage = {
    id: messageIdFrom(account.platform, `load:${index}:${liveSeed()}`),
    platform: account.platform,
    accountId: account.id,
    customerId: customer.id,
    threadId: thread.id,
    from: "customer",
    timestamp: at,
    type: kind,
    text: kind === "text" ? `Load test message #${index + 1} — café ☕ ${liveSeed().slice(-6)}` : null,
    attachments: sample
      ? [
          {
            type: kind as "image" | "audio" | "file",
            url: account.platform === "whatsapp" ? null : world.sampleUrl(sample.name),
            mimeType: sample.mimeType,
            name: kind === "file" ? sample.name : null,
            mediaId: account.platform === "whatsapp" ? digitsFrom(`load-media:${index}:${liveSeed()}`, 16) : null,
            sha256: sample.sha256,
            size: sample.bytes.length,
          },
        ]
      : [],
    replyTo: null,
    payload: null,
    sentFrom: null,
    status: null,
    error: null,
    reactions: [],
    deleted: false,
    editCount: 0,
    seenByBusiness: false,
  };
  const payload =
    account.platform === "whatsapp"
      ? buildPayload(
          "whatsapp",
          [
            {
              platform: "whatsapp",
              wabaId: account.wabaId ?? "",
              phoneNumberId: account.id,
              displayPhoneNumber: account.displayPhoneNumber ?? "",
              field: "messages",
              list: "messages",
              item: whatsappMessage(account, customer, message, null),
              contact: whatsappContact(customer),
            },
          ],
          at,
        )
      : buildPayload(
          account.platform,
          [{ platform: account.platform, accountId: account.id, event: metaMessageEvent(account, customer, message, null) }],
          at,
        );
  return { platform: account.platform, body: metaJsonStringify(payload) };
}
