import { randomBytes } from "node:crypto";
import http from "node:http";

// The bench's user: registered through the public API, signed in with a bearer token, and its
// workspace connected to the sandbox's Page, Instagram account and WhatsApp number exactly as a
// person does it (OAuth dialog → callback; the WhatsApp form), so webhooks route to it.

const WABA_ID = "102200000000001";
const PHONE_NUMBER_ID = "109100000000001";

export interface BenchUser {
  email: string;
  password: string;
  accessToken: string;
  userId: string;
  workspaceId: string;
}

// Keep-alive connections for every API call the bench times, as a browser or API client holds them.
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** One JSON API call over node:http (lighter than fetch, so timings are the server's, not the client's). */
export function api<T>(
  baseUrl: string,
  path: string,
  init: { token?: string; method?: string; body?: unknown; accept?: string; timeoutMs?: number } = {},
): Promise<T> {
  const timeoutMs = init.timeoutMs ?? 30_000;
  const url = new URL(path, baseUrl);
  const body = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
  const headers: Record<string, string> = { accept: init.accept ?? "application/json" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (body) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(body.length);
  }
  const method = init.method ?? "GET";
  return new Promise<T>((resolve, reject) => {
    const request = http.request(url, { method, headers, agent, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(new ApiError(status, `${method} ${url.pathname} answered ${status}: ${text.slice(0, 300)}`));
          return;
        }
        try {
          resolve((text ? JSON.parse(text) : {}) as T);
        } catch (error) {
          reject(error as Error);
        }
      });
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`${method} ${url.pathname} timed out after ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}

export async function createBenchUser(appUrl: string): Promise<BenchUser> {
  const email = `bench-${randomBytes(4).toString("hex")}@chats.local`;
  const password = `bench-${randomBytes(8).toString("hex")}`;
  await api(appUrl, "/api/auth/register", { method: "POST", body: { email, password, name: "Bench Agent" } });
  const login = await api<{ accessToken: string; user: { id: string } }>(appUrl, "/api/auth/login", {
    method: "POST",
    body: { email, password },
  });
  const me = await api<{ user: { workspaces: { id: string }[] } }>(appUrl, "/api/auth/me", { token: login.accessToken });
  const workspaceId = me.user.workspaces[0]?.id;
  if (!workspaceId) throw new Error("the bench user has no workspace");
  return { email, password, accessToken: login.accessToken, userId: login.user.id, workspaceId };
}

async function connectThroughMeta(appUrl: string, sandboxUrl: string, token: string, platform: "messenger" | "instagram") {
  const { authorizeUrl } = await api<{ authorizeUrl: string }>(appUrl, `/api/platforms/${platform}/connect`, {
    token,
    method: "POST",
    body: {},
  });
  const dialog = new URL(authorizeUrl);
  const page = await fetch(dialog);
  if (!page.ok) throw new Error(`the sandbox's OAuth dialog answered ${page.status}`);
  const decided = await fetch(new URL("/_sandbox/oauth/decide", sandboxUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: dialog.searchParams.get("client_id") ?? "",
      redirect_uri: dialog.searchParams.get("redirect_uri") ?? "",
      state: dialog.searchParams.get("state") ?? "",
      scope: dialog.searchParams.get("scope") ?? "",
      decision: "allow",
    }).toString(),
    redirect: "manual",
  });
  const back = new URL(decided.headers.get("location") ?? "", appUrl);
  await api(appUrl, `${back.pathname}${back.search}`, { token });
}

interface PlatformDto {
  id: string;
  platform: "messenger" | "instagram" | "whatsapp";
  externalId: string;
  lastSyncedAt: string | null;
}

/**
 * Connects all three sandbox accounts and waits until their history is in: the Page's and the
 * Instagram account's imports finished (lastSyncedAt), and the sandbox has delivered everything it
 * queued (WhatsApp has no history API; the sandbox replays its history as webhooks).
 */
export async function connectSandbox(appUrl: string, sandboxUrl: string, user: BenchUser): Promise<PlatformDto[]> {
  await connectThroughMeta(appUrl, sandboxUrl, user.accessToken, "messenger");
  await connectThroughMeta(appUrl, sandboxUrl, user.accessToken, "instagram");
  const state = await api<{ tokens: { whatsapp: Record<string, string> } }>(sandboxUrl, "/_sandbox/state");
  await api(appUrl, "/api/platforms/whatsapp/connect", {
    token: user.accessToken,
    method: "POST",
    body: { accessToken: state.tokens.whatsapp[WABA_ID], phoneNumberId: PHONE_NUMBER_ID, businessAccountId: WABA_ID },
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const { platforms } = await api<{ platforms: PlatformDto[] }>(appUrl, "/api/platforms", { token: user.accessToken });
    const imported = platforms.filter((platform) => platform.platform !== "whatsapp").every((platform) => platform.lastSyncedAt);
    if (platforms.length >= 3 && imported) {
      await api(sandboxUrl, "/_sandbox/idle?timeoutMs=60000", { timeoutMs: 65_000 });
      return platforms;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the sandbox accounts' history import did not finish within 90 s");
}
