import http from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox, type RunningSandbox, type SandboxOptions } from "./server";

// Shared by the sandbox's contract tests: a local HTTP receiver standing in for the app's webhook
// endpoints, and a sandbox wired to it with fast, deterministic timings.

export const APP_ID = "100000000000001";
export const APP_SECRET = "test-app-secret-0123456789";
export const IG_SECRET = "test-instagram-secret-987654";

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  json: Record<string, unknown>;
  status: number;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** Decides the status for each POST; default 200. */
  respond: (request: Omit<Received, "status">, index: number) => number | Promise<number>;
  waitFor(predicate: (requests: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const receiver: Receiver = {
    url: "",
    requests,
    respond: () => 200,
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(requests)) {
        if (Date.now() > deadline)
          throw new Error(`receiver: condition not met in ${timeoutMs} ms; got ${requests.length} requests`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    let json: Record<string, unknown> = {};
    try {
      json = raw.length ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      json = {};
    }
    const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, json };
    const status = await receiver.respond(request, requests.length);
    requests.push({ ...request, status });
    res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "EVENT_RECEIVED" : "nope");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.keepAliveTimeout = 1_000;
  return receiver;
}

export function startTestSandbox(receiver: Receiver, overrides: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    appId: APP_ID,
    appSecret: APP_SECRET,
    instagramAppSecret: IG_SECRET,
    verifyToken: "verify-me",
    webhookBaseUrl: receiver.url,
    redelivery: [20, 40, 80],
    webhookTimeoutMs: 2_000,
    batch: { maxItems: 1, windowMs: 0 },
    statusDelaysMs: { echo: 5, sent: 5, delivered: 20, read: 40 },
    ...overrides,
  });
}

export async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return getJson(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Runs the OAuth dialog as a person would (Continue) and returns the redirect's query. */
export async function consent(
  sandbox: RunningSandbox,
  redirectUri: string,
  state: string,
  scope = "pages_show_list,pages_messaging,instagram_basic,instagram_manage_messages,pages_manage_metadata",
  decision = "allow",
) {
  const dialog = await fetch(
    `${sandbox.url}/v25.0/dialog/oauth?client_id=${APP_ID}&redirect_uri=${encodeURIComponent(redirectUri)}&state=${state}&scope=${scope}&response_type=code`,
  );
  if (dialog.status !== 200) throw new Error(`dialog answered ${dialog.status}`);
  const form = new URLSearchParams({ client_id: APP_ID, redirect_uri: redirectUri, state, scope, decision });
  const response = await fetch(`${sandbox.url}/_sandbox/oauth/decide`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  const location = response.headers.get("location") ?? "";
  return new URL(location);
}

/** A long-lived user token and the Page token from /me/accounts, as the app's connect flow gets them. */
export async function connect(sandbox: RunningSandbox, scope?: string) {
  const redirect = await consent(sandbox, "http://localhost:3000/api/platforms/callback", "s1", scope);
  const code = redirect.searchParams.get("code") ?? "";
  const short = await getJson(
    `${sandbox.url}/v25.0/oauth/access_token?client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent("http://localhost:3000/api/platforms/callback")}&code=${code}`,
  );
  const long = await getJson(
    `${sandbox.url}/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id=${APP_ID}&client_secret=${APP_SECRET}&fb_exchange_token=${String(short.body.access_token)}`,
  );
  const userToken = String(long.body.access_token);
  const accounts = await getJson(`${sandbox.url}/v25.0/me/accounts?access_token=${userToken}`);
  const page = (accounts.body.data as { id: string; access_token: string }[])[0];
  return { userToken, pageToken: page?.access_token ?? "", pageId: page?.id ?? "" };
}

export const PAGE_ID = "106100000000001";
export const IG_ID = "17841400000000001";
export const PHONE_ID = "109100000000001";
export const WABA_ID = "102200000000001";

/** A small deterministic world: for each platform one customer inside the 24-hour window and one outside it. */
export function testFixture() {
  return {
    user: { id: "10229000000000001", name: "Dana Whitfield", email: "dana@acme-coffee.example" },
    pages: [
      {
        id: PAGE_ID,
        name: "Acme Coffee",
        category: "Coffee Shop",
        instagram: { id: IG_ID, username: "acme.coffee", name: "Acme Coffee" },
      },
    ],
    whatsapp: [
      {
        id: WABA_ID,
        name: "Acme Coffee",
        templates: [
          {
            name: "order_ready",
            language: "en_US",
            category: "UTILITY" as const,
            body: "Hi {{1}}, your order {{2}} is ready ☕",
          },
        ],
        phoneNumbers: [{ id: PHONE_ID, displayPhoneNumber: "+1 555-010-0001", verifiedName: "Acme Coffee" }],
      },
    ],
    customers: [
      {
        platform: "messenger" as const,
        id: "24016000000000101",
        name: "Sofía Martínez",
        history: [{ minutesAgo: 10, from: "customer" as const, text: "¿Abren hoy?" }],
      },
      {
        platform: "messenger" as const,
        id: "24016000000000102",
        name: "Lukas Müller",
        history: [
          { minutesAgo: 5 * 24 * 60, from: "customer" as const, text: "Hallo!" },
          { minutesAgo: 5 * 24 * 60 - 5, from: "business" as const, text: "Hallo Lukas!" },
        ],
      },
      {
        platform: "instagram" as const,
        id: "17849000000000201",
        name: "Chloé Martin",
        username: "chloe.mrtn",
        history: [{ minutesAgo: 30, from: "customer" as const, text: "Coucou 👋" }],
      },
      {
        platform: "instagram" as const,
        id: "17849000000000202",
        name: "Diego Fernández",
        username: "diegofdz",
        history: [{ minutesAgo: 3 * 24 * 60, from: "customer" as const, text: "Hola" }],
      },
      {
        platform: "whatsapp" as const,
        id: "15550100101",
        name: "Priya Sharma",
        history: [
          { minutesAgo: 3 * 24 * 60, from: "customer" as const, text: "Namaste!" },
          { minutesAgo: 3 * 24 * 60 - 2, from: "business" as const, text: "Namaste Priya ☕" },
          { minutesAgo: 20, from: "customer" as const, text: "Is my order ready?" },
        ],
      },
      {
        platform: "whatsapp" as const,
        id: "34600100102",
        name: "Carmen López",
        history: [{ minutesAgo: 2 * 24 * 60, from: "customer" as const, text: "Hola" }],
      },
    ],
  };
}
