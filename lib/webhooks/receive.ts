import "server-only";
import type { Database } from "@/db/client";
import { insertWebhookEvent } from "@/db/queries/webhook-events";
import type { Platform } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import { verifySignature } from "@/lib/webhooks/verify";

export const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;
// What we keep of a refused POST: enough to diagnose a wrong app secret, not a storage sink.
const REFUSED_EXCERPT_BYTES = 16 * 1024;

function secretsFor(platform: Platform): string[] {
  // Instagram webhooks are signed with the Instagram app secret (Instagram Login) or the Meta app
  // secret (Facebook Login for Business); both are ours.
  return platform === "instagram" ? [env.INSTAGRAM_APP_SECRET, env.META_APP_SECRET] : [env.META_APP_SECRET];
}

/**
 * Verifies and durably stores one POST from Meta; processing happens afterwards. Refused posts
 * (bad signature, malformed JSON) are kept as a short excerpt for diagnosis and answered 401/400.
 */
export async function receiveWebhook(
  db: Database,
  params: { platform: Platform; rawBody: Buffer; signature: string | null; log: Logger },
): Promise<{ eventId: string }> {
  const { platform, rawBody, log } = params;
  if (!verifySignature(rawBody, params.signature, secretsFor(platform))) {
    log.warn(
      { platform, bytes: rawBody.length, hasSignature: Boolean(params.signature) },
      "webhook refused: bad or missing X-Hub-Signature-256",
    );
    await insertWebhookEvent(db, {
      platform,
      rawBody: rawBody.subarray(0, REFUSED_EXCERPT_BYTES).toString("utf8"),
      signatureOk: false,
      status: "rejected",
      error: params.signature ? "signature does not match the app secret" : "no X-Hub-Signature-256 header",
    });
    throw new AppError("invalid_signature", "The X-Hub-Signature-256 header is missing or does not match the payload.");
  }
  const text = rawBody.toString("utf8");
  let object: string | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    object =
      typeof parsed === "object" && parsed !== null && typeof (parsed as { object?: unknown }).object === "string"
        ? (parsed as { object: string }).object
        : null;
  } catch {
    await insertWebhookEvent(db, {
      platform,
      rawBody: text.slice(0, REFUSED_EXCERPT_BYTES),
      signatureOk: true,
      status: "rejected",
      error: "body is not valid JSON",
    });
    throw new AppError("invalid_json", "The webhook body is not valid JSON.");
  }
  const eventId = await insertWebhookEvent(db, { platform, rawBody: text, signatureOk: true, object });
  return { eventId };
}
