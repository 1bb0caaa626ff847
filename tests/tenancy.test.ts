import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMeta, type TestMeta } from "./support/sandbox";

// Every route under app/api, found from the file tree (so a new route cannot be forgotten): without
// credentials a protected route answers 401, and a user of another workspace gets 404 for the first
// workspace's ids and never sees its data.

const meta: TestMeta = await startTestMeta();

const { getDb } = await import("@/db/client");
const { webhookEvents, messages } = await import("@/db/schema");
const { inlineJobs } = await import("@/lib/jobs");
const { startApiSession } = await import("@/lib/auth/api-sessions");
const { createAccount } = await import("./factories/accounts");
const { createConversation, createMessage } = await import("./factories/messaging");
const { call } = await import("./support/api");
const { connectSandboxAccounts, customerActs } = await import("./support/meta-accounts");

const apiRoot = path.resolve(import.meta.dirname, "../app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Routes anyone may call: sign-up/in, password reset, Auth.js's own actions, Meta's webhooks, health, Inngest (signed). */
const PUBLIC = new Set([
  "/api/auth/register",
  "/api/auth/login",
  "/api/auth/refresh",
  "/api/auth/password/forgot",
  "/api/auth/password/reset",
  "/api/auth/[...nextauth]",
  "/api/webhooks/[platform]",
  "/api/health",
  "/api/inngest",
]);

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

const routes = routeFiles(apiRoot).map((file) => ({
  file,
  route: `/api/${path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/")}`,
}));

interface Fixtures {
  workspaceId: string;
  conversationId: string;
  messageId: string;
  mediaMessageId: string;
  platformId: string;
  whatsappPlatformId: string;
  webhookEventId: string;
}

let owner: Awaited<ReturnType<typeof createAccount>>;
let stranger: Awaited<ReturnType<typeof createAccount>>;
let a: Fixtures;

/** For each dynamic segment, the first workspace's id that belongs there. */
function paramsFor(route: string): Record<string, string> | null {
  const names = [...route.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1] ?? "");
  const params: Record<string, string> = {};
  for (const name of names) {
    if (name === "id") {
      if (route.startsWith("/api/conversations")) params.id = a.conversationId;
      else if (route.startsWith("/api/messages")) params.id = a.messageId;
      else if (route.startsWith("/api/platforms")) params.id = route.endsWith("/templates") ? a.whatsappPlatformId : a.platformId;
      else if (route.startsWith("/api/webhook-events")) params.id = a.webhookEventId;
      else return null;
    } else if (name === "messageId") params.messageId = a.mediaMessageId;
    else if (name === "index") params.index = "0";
    else if (name === "platform") params.platform = "messenger";
    else if (name === "...nextauth") params.nextauth = "session";
    else return null;
  }
  return params;
}

/** A body that passes validation, so the request reaches the ownership check. */
function bodyFor(route: string, method: string): unknown {
  if (method === "GET" || method === "DELETE") return undefined;
  if (route === "/api/conversations/[id]") return { isArchived: true };
  if (route === "/api/messages") return { conversationId: a.conversationId, text: "not yours" };
  if (route === "/api/platforms/whatsapp/connect")
    return {
      accessToken: `EAAG${"x".repeat(30)}`,
      phoneNumberId: "109100000000001",
      businessAccountId: "102200000000001",
      workspaceId: a.workspaceId,
    };
  if (route.endsWith("/connect")) return { workspaceId: a.workspaceId };
  return {};
}

/** Query strings that name the first workspace, for list routes that take one. */
function queryFor(route: string): string {
  if (route.startsWith("/api/analytics")) return `?workspaceId=${a.workspaceId}&from=2026-11-01&to=2026-11-21&format=csv`;
  if (
    [
      "/api/conversations",
      "/api/conversations/summary",
      "/api/messages",
      "/api/platforms",
      "/api/webhook-events",
      "/api/audit-events",
    ].includes(route)
  ) {
    return `?workspaceId=${a.workspaceId}`;
  }
  return "";
}

beforeAll(async () => {
  owner = await createAccount();
  stranger = await createAccount();
  const accounts = await connectSandboxAccounts(meta, owner.workspace.id);
  await customerActs(meta, { platform: "messenger", text: "private to workspace A" });
  const conversation = await createConversation(accounts.messenger, { lastMessageAt: new Date() });
  const message = await createMessage(conversation, { text: "secret" });
  const media = await createMessage(conversation, {
    type: "image",
    attachments: [{ type: "image", url: null, mimeType: "image/png", name: "a.png", storageKey: `${owner.workspace.id}/x/0` }],
  });
  const [event] = await getDb().select({ id: webhookEvents.id }).from(webhookEvents).limit(1);
  a = {
    workspaceId: owner.workspace.id,
    conversationId: conversation.id,
    messageId: message.id,
    mediaMessageId: media.id,
    platformId: accounts.messenger.id,
    whatsappPlatformId: accounts.whatsapp.id,
    webhookEventId: event?.id ?? "",
  };
  expect(a.webhookEventId).not.toBe("");
});

afterAll(async () => {
  await (await inlineJobs()).idle();
  await meta.close();
});

describe("every API route", () => {
  it("is found in the file tree (the suite covers new routes by itself)", () => {
    expect(routes.length).toBeGreaterThan(30);
    for (const { route } of routes) expect(paramsFor(route), `${route}: teach paramsFor its dynamic segments`).not.toBeNull();
  });

  it("answers 401 without credentials unless it is public", async () => {
    for (const { file, route } of routes) {
      if (PUBLIC.has(route)) continue;
      const handlers = (await import(file)) as Record<string, unknown>;
      for (const method of METHODS) {
        const handler = handlers[method];
        if (typeof handler !== "function") continue;
        const result = await call(handler as Parameters<typeof call>[0], {
          method,
          path: `${route}${queryFor(route)}`,
          params: paramsFor(route) ?? {},
          body: bodyFor(route, method),
        });
        expect(result.status, `${method} ${route} without credentials`).toBe(401);
        expect(result.body, `${method} ${route}`).toMatchObject({ error: { code: "unauthorized" } });
      }
    }
  });

  it("answers 404 to another workspace's user for the first workspace's ids, and lists none of its data", async () => {
    const secrets = [a.conversationId, a.messageId, a.platformId, a.webhookEventId, "private to workspace A", "secret"];
    for (const { file, route } of routes) {
      if (PUBLIC.has(route)) continue;
      const handlers = (await import(file)) as Record<string, unknown>;
      for (const method of METHODS) {
        const handler = handlers[method];
        if (typeof handler !== "function") continue;
        // A fresh session per call: POST /api/auth/logout ends the one it is called with.
        const { accessToken } = await startApiSession(getDb(), stranger.user, { ip: "127.0.0.1", userAgent: "vitest" });
        const result = await call(handler as Parameters<typeof call>[0], {
          method,
          token: accessToken,
          path: `${route}${queryFor(route)}`,
          params: paramsFor(route) ?? {},
          body: bodyFor(route, method),
        });
        const label = `${method} ${route} as another workspace`;
        const namesA =
          route.includes("[") ||
          queryFor(route) !== "" ||
          (typeof bodyFor(route, method) === "object" &&
            JSON.stringify(bodyFor(route, method) ?? {}).includes(a.workspaceId || a.conversationId));
        if (namesA) {
          expect(result.status, `${label}: ${result.text.slice(0, 200)}`).toBe(404);
        } else {
          expect(result.status, `${label}: ${result.text.slice(0, 200)}`).toBeLessThan(500);
        }
        for (const secret of secrets) expect(result.text, `${label} leaks ${secret}`).not.toContain(secret);
      }
    }
    // The first workspace's data is all still there (nothing was archived, sent or deleted by the stranger).
    const [message] = await getDb()
      .select()
      .from(messages)
      .where((await import("drizzle-orm")).eq(messages.id, a.messageId));
    expect(message?.text).toBe("secret");
  });
});
