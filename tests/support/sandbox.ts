import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { POST as webhookPost } from "@/app/api/webhooks/[platform]/route";
import { getDb } from "@/db/client";
import { startSandbox, type RunningSandbox, type SandboxOptions } from "@/sandbox/server";

// The Meta sandbox, in-process, playing Meta for integration tests: the app's Graph calls go to it
// (META_GRAPH_API_URL), and its webhooks come back through the real route handler via a tiny
// HTTP bridge, so a test drives the whole loop: customer → webhook → ingest → API.

export interface TestMeta {
  sandbox: RunningSandbox;
  webhookUrl: string;
  /** Waits until the sandbox has nothing left to deliver and every stored event is processed. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function startWebhookBridge(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const platform = /^\/api\/webhooks\/([a-z]+)/.exec(req.url ?? "")?.[1] ?? "";
      const request = new NextRequest(new URL(req.url ?? "/", "http://localhost:3000"), {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([key, value]) =>
          typeof value === "string" ? [[key, value] as [string, string]] : [],
        ),
        body: req.method === "POST" ? new Uint8Array(Buffer.concat(chunks)) : undefined,
      });
      webhookPost(request, { params: Promise.resolve({ platform }) })
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch((error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        });
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Call before anything reads the app's configuration (env is parsed once, on first use). */
export async function startTestMeta(options: Partial<SandboxOptions> = {}): Promise<TestMeta> {
  const bridge = await startWebhookBridge();
  const webhookUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`;
  const sandbox = await startSandbox({
    port: 0,
    appId: process.env.META_APP_ID ?? "",
    appSecret: process.env.META_APP_SECRET ?? "",
    verifyToken: process.env.META_WEBHOOK_VERIFY_TOKEN ?? "",
    webhookBaseUrl: webhookUrl,
    redelivery: [50, 200, 500],
    batch: { maxItems: 1, windowMs: 0 },
    statusDelaysMs: { echo: 10, sent: 20, delivered: 40, read: 60 },
    ...options,
  });
  process.env.META_GRAPH_API_URL = sandbox.url;
  process.env.META_OAUTH_DIALOG_URL = sandbox.url;

  async function settle() {
    for (let round = 0; round < 400; round++) {
      await sandbox.idle();
      const [row] = await getDb()
        .execute<{ pending: number }>(sql`select count(*)::int as pending from webhook_events where status = 'pending'`)
        .then((result) => result.rows);
      if (!row?.pending) {
        await sandbox.idle();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("webhook events still pending after 10 s");
  }

  return {
    sandbox,
    webhookUrl,
    settle,
    async close() {
      await sandbox.close();
      await new Promise((resolve) => bridge.close(resolve));
    },
  };
}

/** Plays the user in Meta's consent dialog and returns the callback URL Meta redirects to. */
export async function consentInDialog(authorizeUrl: string, decision: "allow" | "deny" = "allow"): Promise<URL> {
  const url = new URL(authorizeUrl);
  const dialog = await fetch(url);
  if (dialog.status !== 200) throw new Error(`the OAuth dialog answered ${dialog.status}: ${await dialog.text()}`);
  const form = new URLSearchParams({
    client_id: url.searchParams.get("client_id") ?? "",
    redirect_uri: url.searchParams.get("redirect_uri") ?? "",
    state: url.searchParams.get("state") ?? "",
    scope: url.searchParams.get("scope") ?? "",
    decision,
  });
  const response = await fetch(new URL("/_sandbox/oauth/decide", url.origin), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  return new URL(response.headers.get("location") ?? "");
}
