import { randomBytes } from "node:crypto";
import http from "node:http";
import { connectAllSandboxAccounts, type ConnectedPlatform } from "../lib/sandbox-connect";

// The bench's user: registered through the public API, signed in with a bearer token, and its
// workspace connected to the sandbox's Page, Instagram account and WhatsApp number exactly as a
// person does it (OAuth dialog → callback; the WhatsApp form), so webhooks route to it.

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

/** Connects all three sandbox accounts and waits until their history is in. */
export function connectSandbox(appUrl: string, sandboxUrl: string, user: BenchUser): Promise<ConnectedPlatform[]> {
  return connectAllSandboxAccounts({ appUrl, sandboxUrl, accessToken: user.accessToken }, 90_000);
}
