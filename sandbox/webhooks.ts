import { randomBytes } from "node:crypto";
import type { Platform } from "./fixture";
import { metaJsonStringify, signatureHeaders } from "./meta-json";
import { postRaw } from "./post";

// Delivers webhooks the way Meta does: POST to the app's endpoint per platform, body serialized with
// Meta's escaping, signed over those bytes (X-Hub-Signature-256 and the legacy sha1 header), several
// events sometimes batched into one POST, in order per platform, and retried with backoff until a 200.
// Messenger/Instagram: https://developers.facebook.com/docs/messenger-platform/webhooks ("Webhook events",
// one messaging item per entry; failed deliveries are retried "with decreasing frequency over the next 36 hours").
// WhatsApp: https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks (retries up to 7 days).

/** Roughly Meta's schedule: a few quick retries, then decreasing frequency over ~36 hours. */
export const META_LIKE_REDELIVERY_MS = [
  1_000, 2_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 43_200_000, 28_800_000,
];
/** For development: quick enough to watch a retry happen. */
export const FAST_REDELIVERY_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

export type WhatsAppList = "messages" | "statuses" | "message_echoes" | "errors";

export type WebhookItem =
  | { platform: "messenger" | "instagram"; accountId: string; event: Record<string, unknown> }
  | {
      platform: "whatsapp";
      wabaId: string;
      phoneNumberId: string;
      displayPhoneNumber: string;
      field: "messages" | "smb_message_echoes";
      list: WhatsAppList;
      item: Record<string, unknown>;
      contact?: { profile: { name: string }; wa_id: string };
    };

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  latencyMs: number;
  error: string | null;
}

export interface DeliveryRecord {
  id: string;
  platform: Platform;
  url: string;
  body: string;
  signature256: string;
  itemCount: number;
  createdAt: string;
  state: "queued" | "held" | "sending" | "delivered" | "retrying" | "gave_up";
  attempts: DeliveryAttempt[];
  duplicateOf: string | null;
}

export interface DispatcherOptions {
  webhookBaseUrl: string;
  appSecret: string;
  instagramAppSecret: string;
  redeliveryMs: number[];
  timeoutMs: number;
  batch: { maxItems: number; windowMs: number };
  log: (line: string) => void;
  now: () => Date;
}

const PATHS: Record<Platform, string> = {
  messenger: "/api/webhooks/messenger",
  instagram: "/api/webhooks/instagram",
  whatsapp: "/api/webhooks/whatsapp",
};

export class WebhookDispatcher {
  readonly deliveries: DeliveryRecord[] = [];
  private readonly buffers = new Map<Platform, WebhookItem[]>();
  private readonly batchTimers = new Map<Platform, NodeJS.Timeout>();
  private readonly chains = new Map<Platform, Promise<void>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private held: DeliveryRecord[] = [];
  private holdTimer: NodeJS.Timeout | null = null;
  private duplicateRemaining = 0;
  private reorderRemaining = 0;
  private reverseNextBatch = false;
  private busy = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: DispatcherOptions) {}

  enqueue(item: WebhookItem): void {
    if (this.closed) return;
    const buffer = this.buffers.get(item.platform) ?? [];
    buffer.push(item);
    this.buffers.set(item.platform, buffer);
    if (buffer.length >= Math.max(1, this.options.batch.maxItems)) {
      this.flushBuffer(item.platform);
    } else if (!this.batchTimers.has(item.platform)) {
      this.busy++;
      this.batchTimers.set(
        item.platform,
        setTimeout(() => {
          this.batchTimers.delete(item.platform);
          this.busy--;
          this.flushBuffer(item.platform);
        }, this.options.batch.windowMs),
      );
    }
  }

  /** The next `count` POSTs are each sent twice, byte for byte (same signature), as Meta sometimes does. */
  duplicateNext(count: number): void {
    this.duplicateRemaining += count;
  }

  /** Holds the next `count` POSTs and sends them in reverse order (2 s at most, so nothing stalls). */
  reorderNext(count: number): void {
    this.reorderRemaining += count;
  }

  /** Reverses the order of entries (or WhatsApp changes) inside the next batched POST. */
  reverseNextBatchEntries(): void {
    this.reverseNextBatch = true;
  }

  /** Sends a past delivery again, unchanged; returns the new record. */
  redeliver(id: string): DeliveryRecord | undefined {
    const original = this.deliveries.find((delivery) => delivery.id === id);
    if (!original) return undefined;
    const copy = this.newRecord(original.platform, original.body, original.itemCount, original.id);
    this.dispatch(copy);
    return copy;
  }

  /** Resolves once nothing is buffered, held, in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.batchTimers.values()) clearTimeout(timer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.batchTimers.clear();
    this.retryTimers.clear();
    this.busy = 0;
    this.settle();
  }

  private settle(): void {
    if (this.busy > 0) return;
    const waiters = this.idleWaiters.splice(0);
    for (const resolve of waiters) resolve();
  }

  private flushBuffer(platform: Platform): void {
    const timer = this.batchTimers.get(platform);
    if (timer) {
      clearTimeout(timer);
      this.batchTimers.delete(platform);
      this.busy--;
    }
    const items = this.buffers.get(platform) ?? [];
    this.buffers.set(platform, []);
    if (items.length === 0) {
      this.settle();
      return;
    }
    const payload = buildPayload(platform, items, this.options.now().getTime());
    if (this.reverseNextBatch && payload.entry.length > 1) {
      payload.entry.reverse();
      this.reverseNextBatch = false;
    }
    const record = this.newRecord(platform, metaJsonStringify(payload), items.length, null);
    if (this.reorderRemaining > 0) {
      this.reorderRemaining--;
      record.state = "held";
      this.held.push(record);
      this.busy++;
      if (this.reorderRemaining === 0) this.releaseHeld();
      else if (!this.holdTimer) this.holdTimer = setTimeout(() => this.releaseHeld(), 2_000);
      return;
    }
    this.dispatch(record);
  }

  private releaseHeld(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.reorderRemaining = 0;
    const held = this.held.reverse();
    this.held = [];
    for (const record of held) {
      this.busy--;
      this.dispatch(record);
    }
    this.settle();
  }

  private newRecord(platform: Platform, body: string, itemCount: number, duplicateOf: string | null): DeliveryRecord {
    const secret = platform === "instagram" ? this.options.instagramAppSecret : this.options.appSecret;
    const record: DeliveryRecord = {
      id: `dlv_${randomBytes(6).toString("hex")}`,
      platform,
      url: new URL(PATHS[platform], this.options.webhookBaseUrl).toString(),
      body,
      signature256: signatureHeaders(Buffer.from(body), secret)["x-hub-signature-256"],
      itemCount,
      createdAt: this.options.now().toISOString(),
      state: "queued",
      attempts: [],
      duplicateOf,
    };
    this.deliveries.push(record);
    if (this.deliveries.length > 2000) this.deliveries.splice(0, this.deliveries.length - 2000);
    return record;
  }

  /** Sends in order per platform: the next POST waits until the previous attempt finished. */
  private dispatch(record: DeliveryRecord): void {
    this.busy++;
    const previous = this.chains.get(record.platform) ?? Promise.resolve();
    const next = previous.then(async () => {
      await this.attempt(record);
      if (this.duplicateRemaining > 0 && record.duplicateOf === null) {
        this.duplicateRemaining--;
        const copy = this.newRecord(record.platform, record.body, record.itemCount, record.id);
        await this.attempt(copy);
      }
    });
    this.chains.set(
      record.platform,
      next.finally(() => {
        this.busy--;
        this.settle();
      }),
    );
  }

  private async attempt(record: DeliveryRecord): Promise<void> {
    if (this.closed) return;
    record.state = "sending";
    const body = Buffer.from(record.body);
    const secret = record.platform === "instagram" ? this.options.instagramAppSecret : this.options.appSecret;
    const result = await postRaw(
      new URL(record.url),
      body,
      { "content-type": "application/json", "user-agent": "facebookexternalua", ...signatureHeaders(body, secret) },
      this.options.timeoutMs,
    );
    record.attempts.push({
      at: this.options.now().toISOString(),
      status: result.status,
      latencyMs: result.latencyMs,
      error: result.error,
    });
    const attempt = record.attempts.length;
    const outcome = result.status === null ? (result.error ?? "no response") : String(result.status);
    this.options.log(
      `webhook ${record.platform} ${outcome} in ${Math.round(result.latencyMs)} ms (${record.itemCount} event${record.itemCount === 1 ? "" : "s"}, attempt ${attempt}${record.duplicateOf ? ", duplicate" : ""})`,
    );
    // Meta treats anything but 200 OK (or no answer in time) as a failed delivery.
    if (result.status === 200) {
      record.state = "delivered";
      return;
    }
    const delay = this.options.redeliveryMs[attempt - 1];
    if (delay === undefined || this.closed) {
      record.state = "gave_up";
      return;
    }
    record.state = "retrying";
    this.busy++;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.busy--;
      // A retry rejoins the platform's queue: later events may already have been delivered, as with Meta.
      this.busy++;
      const previous = this.chains.get(record.platform) ?? Promise.resolve();
      this.chains.set(
        record.platform,
        previous
          .then(() => this.attempt(record))
          .finally(() => {
            this.busy--;
            this.settle();
          }),
      );
    }, delay);
    timer.unref();
    this.retryTimers.add(timer);
  }
}

interface Payload {
  object: string;
  entry: Record<string, unknown>[];
}

/** The envelope per platform: Messenger `object: "page"`, Instagram `object: "instagram"`, WhatsApp `whatsapp_business_account`. */
export function buildPayload(platform: Platform, items: WebhookItem[], nowMs: number): Payload {
  if (platform !== "whatsapp") {
    return {
      object: platform === "messenger" ? "page" : "instagram",
      entry: items.map((item) => ({
        id: item.platform === "whatsapp" ? "" : item.accountId,
        time: nowMs,
        messaging: [item.platform === "whatsapp" ? {} : item.event],
      })),
    };
  }
  const entries = new Map<string, { id: string; changes: { value: Record<string, unknown>; field: string }[] }>();
  const changes = new Map<string, { value: Record<string, unknown>; field: string }>();
  for (const item of items) {
    if (item.platform !== "whatsapp") continue;
    let entry = entries.get(item.wabaId);
    if (!entry) {
      entry = { id: item.wabaId, changes: [] };
      entries.set(item.wabaId, entry);
    }
    const key = `${item.wabaId}:${item.phoneNumberId}:${item.field}:${item.list}`;
    let change = changes.get(key);
    if (!change) {
      change = {
        value: {
          messaging_product: "whatsapp",
          metadata: { display_phone_number: item.displayPhoneNumber.replace(/\D/g, ""), phone_number_id: item.phoneNumberId },
        },
        field: item.field,
      };
      changes.set(key, change);
      entry.changes.push(change);
    }
    if (item.contact) {
      const contacts = (change.value.contacts ??= []) as { wa_id: string }[];
      if (!contacts.some((contact) => contact.wa_id === item.contact?.wa_id)) contacts.push(item.contact);
    }
    ((change.value[item.list] ??= []) as unknown[]).push(item.item);
  }
  return { object: "whatsapp_business_account", entry: [...entries.values()] };
}
