import { z } from "zod";
import { getDb } from "@/db/client";
import { afterResponse } from "@/lib/api/after-response";
import { readBody } from "@/lib/api/input";
import { withRoute } from "@/lib/api/with-route";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { processAfterReceipt } from "@/lib/webhooks/process";
import { receiveWebhook, WEBHOOK_BODY_LIMIT } from "@/lib/webhooks/receive";
import { verifySubscription } from "@/lib/webhooks/verify";

const platformSchema = z.enum(["instagram", "messenger", "whatsapp"]);

function platformOf(params: { platform?: string | string[] }) {
  const parsed = platformSchema.safeParse(params.platform);
  if (!parsed.success) throw AppError.notFound("Webhook endpoint");
  return parsed.data;
}

// GET /api/webhooks/{platform} – Meta's subscription check: echo hub.challenge for our verify token
export const GET = withRoute({ auth: "none", scope: "webhooks.verify" }, async ({ req, params }) => {
  platformOf(params);
  const challenge = verifySubscription(new URL(req.url).searchParams, env.META_WEBHOOK_VERIFY_TOKEN);
  if (challenge === null) throw new AppError("forbidden", "The verify token does not match.");
  return new Response(challenge, { headers: { "content-type": "text/plain; charset=utf-8" } });
});

// POST /api/webhooks/{platform} – verify, store, answer 200; processing follows the response
export const POST = withRoute({ auth: "none", scope: "webhooks.receive" }, async ({ req, params, log }) => {
  const platform = platformOf(params);
  const rawBody = await readBody(req, WEBHOOK_BODY_LIMIT);
  const db = getDb();
  const { eventId } = await receiveWebhook(db, { platform, rawBody, signature: req.headers.get("x-hub-signature-256"), log });
  afterResponse(log, "webhook processing", () => processAfterReceipt(db, eventId, log));
  return Response.json({ received: true, id: eventId });
});
