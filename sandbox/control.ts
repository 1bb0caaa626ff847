import type { IncomingMessage, ServerResponse } from "node:http";
import { z, ZodError } from "zod";
import type { SandboxContext } from "./context";
import { failureRuleInput } from "./failures";
import { PLATFORMS } from "./fixture";
import { HttpError, parseParams, readBody, sendJson } from "./http";
import { LoadError, loadInput, runLoad } from "./load";
import { oauthDecide } from "./oauth";
import { SAMPLES } from "./samples";
import { customerAction, customerActionInput, nativeBusinessSend, nativeSendInput, supportedActions } from "./simulate";
import type { StateChange, StoredMessage } from "./state";

// The sandbox's own control API under /_sandbox: drive customers, inject failures, inspect what the
// app sent and what was delivered, run load. Not part of Meta; documented in sandbox/README.md.

const SSE_HEARTBEAT_MS = 15_000;

function readJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not valid JSON");
  }
}

export function publicMessage(message: StoredMessage) {
  return {
    id: message.id,
    from: message.from,
    type: message.type,
    text: message.text,
    attachments: message.attachments,
    replyTo: message.replyTo,
    payload: message.payload,
    status: message.status,
    error: message.error,
    reactions: message.reactions,
    deleted: message.deleted,
    editCount: message.editCount,
    sentFrom: message.sentFrom,
    seenByBusiness: message.seenByBusiness,
    timestamp: new Date(message.timestamp).toISOString(),
  };
}

export async function handleControl(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  streams: Set<ServerResponse>,
): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const route = url.pathname.replace(/^\/_sandbox/, "") || "/";
  try {
    const body = method === "GET" || method === "HEAD" ? Buffer.alloc(0) : await readBody(req);
    const state = ctx.state;

    if (route === "/oauth/decide" && method === "POST")
      return oauthDecide(ctx, res, parseParams(url, body, req.headers["content-type"]).params);

    if (route === "/health" && method === "GET") return sendJson(res, 200, { status: "ok" });

    if (route === "/state" && method === "GET")
      return sendJson(res, 200, {
        app: { id: ctx.options.appId, name: ctx.fixture.app.name },
        user: ctx.fixture.user,
        accounts: [...state.accounts.values()],
        customers: [...state.customers.values()],
        actions: Object.fromEntries(PLATFORMS.map((platform) => [platform, supportedActions(platform)])),
        subscriptions: Object.fromEntries(state.subscriptions),
        tokens: {
          pages: Object.fromEntries(ctx.fixture.pages.map((page) => [page.id, ctx.pageToken(page.id)])),
          whatsapp: Object.fromEntries(ctx.fixture.whatsapp.map((waba) => [waba.id, ctx.systemUserToken(waba.id)])),
          app: ctx.appToken(),
        },
        counts: {
          threads: state.threads.size,
          messages: state.messages.size,
          sent: state.sent.length,
          deliveries: ctx.dispatcher.deliveries.length,
        },
      });

    if (route === "/threads" && method === "GET") {
      const platform = z.enum(PLATFORMS).safeParse(url.searchParams.get("platform"));
      if (!platform.success) throw new HttpError(400, "platform must be messenger, instagram or whatsapp");
      const customerId = url.searchParams.get("customer");
      const threads = [...state.threads.values()].filter(
        (thread) => thread.platform === platform.data && (!customerId || thread.customerId === customerId),
      );
      return sendJson(res, 200, {
        threads: threads.map((thread) => ({
          id: thread.id,
          platform: thread.platform,
          accountId: thread.accountId,
          customerId: thread.customerId,
          windowOpen: thread.lastCustomerAt !== null && ctx.nowMs() - thread.lastCustomerAt < 24 * 60 * 60 * 1000,
          messages: thread.messages.map(publicMessage),
        })),
      });
    }

    if (route === "/customers/send" && method === "POST") {
      const result = customerAction(ctx, customerActionInput.parse(readJson(body)));
      return sendJson(res, 202, { ...result, message: result.message ? publicMessage(result.message) : null });
    }

    if (route === "/business/send" && method === "POST") {
      const message = nativeBusinessSend(ctx, nativeSendInput.parse(readJson(body)));
      return sendJson(res, 202, { message: publicMessage(message) });
    }

    if (route === "/sent") {
      if (method === "DELETE") {
        state.sent.splice(0);
        return sendJson(res, 200, { sent: [] });
      }
      if (method === "GET") {
        const platform = url.searchParams.get("platform");
        return sendJson(res, 200, { sent: state.sent.filter((record) => !platform || record.platform === platform) });
      }
    }

    if (route === "/deliveries" && method === "GET") {
      const platform = url.searchParams.get("platform");
      const limit = Math.min(2000, Number(url.searchParams.get("limit") ?? 200) || 200);
      return sendJson(res, 200, {
        deliveries: ctx.dispatcher.deliveries.filter((delivery) => !platform || delivery.platform === platform).slice(-limit),
      });
    }
    const redeliver = /^\/deliveries\/([^/]+)\/redeliver$/.exec(route);
    if (redeliver?.[1] && method === "POST") {
      const record = ctx.dispatcher.redeliver(redeliver[1]);
      if (!record) throw new HttpError(404, `no delivery ${redeliver[1]}`);
      return sendJson(res, 202, { delivery: record });
    }
    if (route === "/webhooks/duplicate" && method === "POST") {
      const { count } = z
        .object({ count: z.number().int().min(1).max(1000).default(1) })
        .strict()
        .parse(readJson(body));
      ctx.dispatcher.duplicateNext(count);
      return sendJson(res, 200, { duplicateNext: count });
    }
    if (route === "/webhooks/reorder" && method === "POST") {
      const input = z
        .object({ count: z.number().int().min(2).max(100).default(2), batch: z.boolean().default(false) })
        .strict()
        .parse(readJson(body));
      if (input.batch) ctx.dispatcher.reverseNextBatchEntries();
      else ctx.dispatcher.reorderNext(input.count);
      return sendJson(res, 200, input);
    }
    if (route === "/webhooks/verify" && method === "POST") return sendJson(res, 200, { results: await verifyWebhooks(ctx) });

    if (route === "/failures") {
      if (method === "GET") return sendJson(res, 200, { failures: ctx.failures.list() });
      if (method === "DELETE") {
        ctx.failures.clear();
        return sendJson(res, 200, { failures: [] });
      }
      if (method === "POST") return sendJson(res, 201, { failure: ctx.failures.add(failureRuleInput.parse(readJson(body))) });
    }

    if (route === "/load" && method === "POST") {
      const input = loadInput.parse(readJson(body));
      const report = await runLoad({
        ...input,
        webhookBaseUrl: ctx.options.webhookBaseUrl,
        appSecret: ctx.options.appSecret,
        instagramAppSecret: ctx.options.instagramAppSecret,
        fixture: ctx.fixture,
        publicUrl: ctx.publicUrl,
        now: ctx.options.now,
      });
      return sendJson(res, 200, report);
    }

    if (route === "/tokens/revoke" && method === "POST") {
      const { token } = z
        .object({ token: z.string().min(1) })
        .strict()
        .parse(readJson(body));
      state.revokedTokens.add(token);
      return sendJson(res, 200, { revoked: true });
    }

    if (route === "/reset" && method === "POST") {
      state.reset();
      ctx.failures.clear();
      return sendJson(res, 200, { reset: true });
    }

    if (route === "/idle" && method === "GET") {
      const timeout = Math.min(60_000, Number(url.searchParams.get("timeoutMs") ?? 10_000) || 10_000);
      const idle = await Promise.race([
        ctx.idle().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeout).unref()),
      ]);
      return sendJson(res, idle ? 200 : 504, { idle });
    }

    if (route === "/events" && method === "GET") return openStream(ctx, req, res, streams);

    const media = /^\/media\/([\w.-]+)$/.exec(route);
    if (media?.[1] && method === "GET") {
      const sample = SAMPLES[media[1]];
      if (!sample) throw new HttpError(404, "no such sample");
      res.writeHead(200, {
        "content-type": sample.mimeType,
        "content-length": sample.bytes.length,
        "cache-control": "public, max-age=3600",
      });
      res.end(sample.bytes);
      return;
    }

    throw new HttpError(404, `no sandbox route ${method} ${url.pathname}`);
  } catch (error) {
    if (error instanceof HttpError) return sendJson(res, error.status, { error: { message: error.message } });
    if (error instanceof ZodError)
      return sendJson(res, 400, {
        error: {
          message: "invalid request",
          issues: error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`),
        },
      });
    if (error instanceof LoadError) return sendJson(res, 400, { error: { message: error.message } });
    throw error;
  }
}

/** Server-sent events for the phone page: one `change` event per new or updated message. */
function openStream(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse, streams: Set<ServerResponse>): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  res.write(": connected\n\n");
  const listener = (change: StateChange) => {
    const data =
      change.kind === "sent"
        ? { kind: "sent", platform: change.record.platform, recipientId: change.record.recipientId }
        : change.kind === "reset"
          ? { kind: "reset" }
          : {
              kind: change.kind,
              platform: change.message.platform,
              customerId: change.message.customerId,
              messageId: change.message.id,
            };
    res.write(`event: change\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), SSE_HEARTBEAT_MS);
  heartbeat.unref();
  ctx.state.on("change", listener);
  streams.add(res);
  const close = () => {
    clearInterval(heartbeat);
    ctx.state.off("change", listener);
    streams.delete(res);
  };
  req.on("close", close);
  res.on("close", close);
}

/** Meta's verification request (hub.mode=subscribe) against each webhook endpoint of the app. */
async function verifyWebhooks(ctx: SandboxContext) {
  return Promise.all(
    PLATFORMS.map(async (platform) => {
      const challenge = String(Math.floor(Math.random() * 1e9));
      const url = new URL(`/api/webhooks/${platform}`, ctx.options.webhookBaseUrl);
      url.searchParams.set("hub.mode", "subscribe");
      url.searchParams.set("hub.verify_token", ctx.options.verifyToken);
      url.searchParams.set("hub.challenge", challenge);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        const text = await response.text();
        return { platform, status: response.status, verified: response.status === 200 && text === challenge };
      } catch (error) {
        return { platform, status: null, verified: false, error: (error as Error).message };
      }
    }),
  );
}
