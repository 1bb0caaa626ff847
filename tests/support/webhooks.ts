import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { POST } from "@/app/api/webhooks/[platform]/route";
import { getDb } from "@/db/client";
import { webhookEvents, type WebhookEvent } from "@/db/schema";
import { call, type CallResult } from "./api";

export type WebhookPlatform = "messenger" | "instagram" | "whatsapp";

/**
 * Serializes like Meta: every non-ASCII character as a \uXXXX escape (surrogate pairs for emoji)
 * and "/" as "\/". Signatures are over these bytes, so a receiver must never re-serialize.
 */
export function metaSerialize(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/\//g, "\\/")
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function sign(body: string | Buffer, secret = process.env.META_APP_SECRET ?? ""): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** POSTs a payload to the webhook route exactly as Meta would: escaped bytes, signed. */
export async function deliver(
  platform: WebhookPlatform,
  payload: unknown,
  options: { secret?: string; signature?: string | null } = {},
): Promise<CallResult<{ id?: string; error?: { code: string } }>> {
  const body = metaSerialize(payload);
  const signature = options.signature === undefined ? sign(body, options.secret) : options.signature;
  return call(POST, {
    method: "POST",
    path: `/api/webhooks/${platform}`,
    rawBody: body,
    headers: { "content-type": "application/json", ...(signature ? { "x-hub-signature-256": signature } : {}) },
    params: { platform },
  });
}

/** Waits until the stored event has been processed (processing follows the 200). */
export async function processed(eventId: string, timeoutMs = 10_000): Promise<WebhookEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await getDb().select().from(webhookEvents).where(eq(webhookEvents.id, eventId));
    if (row && row.status !== "pending") return row;
    if (Date.now() > deadline) throw new Error(`webhook event ${eventId} still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Delivers and waits for processing; fails the test if Meta would not have got a 200. */
export async function deliverAndProcess(platform: WebhookPlatform, payload: unknown): Promise<WebhookEvent> {
  const result = await deliver(platform, payload);
  if (result.status !== 200 || !result.body.id) throw new Error(`webhook answered ${result.status}: ${result.text}`);
  return processed(result.body.id);
}
