import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { startEmbeddedPostgres } from "../db/embedded-postgres";
import { acceptsConnections } from "../lib/server/probes";
import { connectWhatsApp, signUpOwner } from "../scripts/lib/sandbox-connect";
import { freshStart, startStack, waitForHealth, type RunningStack } from "../scripts/lib/stack-under-test";

// SIGTERM to `npm start`'s supervisor (what a process manager sends on a deploy or a stop): a
// webhook whose body is still arriving gets its 200 and its message stored, the app takes no new
// connection meanwhile, everything stops — database last — and the process exits 0 in bounded time.
// Against the production build, with a stack of its own beside the e2e server's.

interface Ports {
  app: number;
  realtime: number;
  sandbox: number;
  postgres: number;
}
const PORTS: Ports = { app: 3400, realtime: 3401, sandbox: 3402, postgres: 54369 };
const DATA_DIR = path.resolve(".data/e2e-shutdown");
const EARLY_DATA_DIR = path.resolve(".data/e2e-shutdown-early");

// Both tests start a stack on these ports: one after the other, in one worker.
test.describe.configure({ mode: "default" });
const APP = `http://127.0.0.1:${PORTS.app}`;
const SANDBOX = `http://127.0.0.1:${PORTS.sandbox}`;
const WABA_ID = "102200000000001";
const PHONE_NUMBER_ID = "109100000000001";
/** From SIGTERM to the supervisor's exit; its own patience with each process is 10 s. */
const SHUTDOWN_BOUND_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Processes still running whose command line names the data directory (initdb, postgres). */
function processesOn(dataDir: string): string[] {
  return fs.readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      return command.includes(dataDir) ? [`${entry} ${command.slice(0, 120)}`] : [];
    } catch {
      return [];
    }
  });
}

/** Exactly what `npm start` runs, with its output in the data directory for a failing assertion to show. */
async function startFresh(dataDir: string): Promise<RunningStack> {
  await freshStart(dataDir, PORTS);
  return startStack(process.cwd(), {
    dataDir,
    ports: PORTS,
    logFile: path.join(dataDir, "stack.log"),
    env: { LOG_LEVEL: "info" },
  });
}

function outputOf(dataDir: string): string {
  return fs.readFileSync(path.join(dataDir, "stack.log"), "utf8").slice(-4_000);
}

/** A new owner whose workspace holds the sandbox's WhatsApp number, connected through the public API. */
async function connectWhatsAppWorkspace(): Promise<void> {
  const { accessToken } = await signUpOwner(APP, "shutdown");
  await connectWhatsApp({ appUrl: APP, sandboxUrl: SANDBOX, accessToken });
  // Connecting replays the number's history as webhooks; let that settle so only ours is in flight.
  const idle = await fetch(`${SANDBOX}/_sandbox/idle?timeoutMs=60000`);
  if (!idle.ok) throw new Error(`the sandbox did not become idle (${idle.status})`);
}

function whatsappWebhook(messageId: string, text: string): Buffer {
  const customer = "15550199901";
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550100001", phone_number_id: PHONE_NUMBER_ID },
    contacts: [{ profile: { name: "Late Larry" }, wa_id: customer }],
    messages: [
      { from: customer, id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } },
    ],
  };
  const payload = { object: "whatsapp_business_account", entry: [{ id: WABA_ID, changes: [{ field: "messages", value }] }] };
  return Buffer.from(JSON.stringify(payload));
}

/** A POST whose first half is on the wire now and whose second half follows on `finish()`. */
function slowPost(url: string, body: Buffer, headers: Record<string, string>) {
  const half = Math.floor(body.length / 2);
  let settle: (result: { status: number; body: string }) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const result = new Promise<{ status: number; body: string }>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const req = http.request(
    url,
    { method: "POST", agent: false, headers: { ...headers, "content-length": body.length } },
    (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => settle({ status: res.statusCode ?? 0, body: text }));
    },
  );
  req.on("error", fail);
  req.write(body.subarray(0, half));
  return {
    finish() {
      req.end(body.subarray(half));
      return result;
    },
  };
}

test("SIGTERM lets a webhook still arriving finish and be stored, refuses new connections, stops everything and exits 0", async () => {
  test.setTimeout(300_000);
  const stack = await startFresh(DATA_DIR);
  try {
    await waitForHealth(APP, 180_000, stack);
    await connectWhatsAppWorkspace();
    const secrets = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "secrets.json"), "utf8")) as Record<string, string>;
    const messageId = `wamid.shutdown-${randomBytes(8).toString("hex")}`;
    const text = `Are you still open? ${randomBytes(4).toString("hex")}`;
    const body = whatsappWebhook(messageId, text);
    const signature = `sha256=${createHmac("sha256", secrets.META_APP_SECRET ?? "")
      .update(body)
      .digest("hex")}`;

    const webhook = slowPost(`${APP}/api/webhooks/whatsapp`, body, {
      "content-type": "application/json",
      "x-hub-signature-256": signature,
    });
    await sleep(1_000);
    const signalled = Date.now();
    process.kill(stack.pid, "SIGTERM");

    // The app stops listening while the webhook's body is still incomplete…
    const refusedBy = Date.now() + 15_000;
    while ((await acceptsConnections(PORTS.app)) && Date.now() < refusedBy) await sleep(50);
    expect(await acceptsConnections(PORTS.app), "new connections refused after SIGTERM").toBe(false);

    // …and still answers it once the rest arrives.
    const response = await webhook.finish();
    expect(response.status).toBe(200);
    const eventId = (JSON.parse(response.body) as { id: string }).id;

    const exit = await Promise.race([stack.exited, sleep(SHUTDOWN_BOUND_MS + 5_000).then(() => null)]);
    expect(exit, outputOf(DATA_DIR)).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_BOUND_MS);
    for (const [name, port] of Object.entries(PORTS))
      expect(await acceptsConnections(port), `${name} still listening`).toBe(false);
    expect(processesOn(DATA_DIR), "PostgreSQL left running").toEqual([]);

    // The database, started again on its own, holds the event processed and the message once.
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(DATA_DIR, "postgres"),
      port: PORTS.postgres,
      password: secrets.POSTGRES_PASSWORD ?? "",
      database: "chats",
    });
    const client = new pg.Client({ connectionString: postgres.url });
    try {
      await client.connect();
      const event = await client.query("select status from webhook_events where id = $1", [eventId]);
      const messages = await client.query("select text, direction from messages where external_id = $1", [messageId]);
      expect(event.rows).toEqual([{ status: "processed" }]);
      expect(messages.rows).toEqual([{ text, direction: "incoming" }]);
    } finally {
      await client.end().catch(() => undefined);
      await postgres.stop();
    }
  } finally {
    await stack.stop(); // at once when it already exited; otherwise what a failed assertion left running
  }
});

test("SIGTERM while the database is still being created waits for it, stops it and leaves nothing running", async () => {
  test.setTimeout(120_000);
  const stack = await startFresh(EARLY_DATA_DIR);
  try {
    // A fresh data directory: initdb runs for seconds before PostgreSQL starts.
    const deadline = Date.now() + 60_000;
    while (processesOn(EARLY_DATA_DIR).length === 0 && Date.now() < deadline) await sleep(20);
    expect(processesOn(EARLY_DATA_DIR).length, "initdb running").toBeGreaterThan(0);
    process.kill(stack.pid, "SIGTERM");

    const exit = await Promise.race([stack.exited, sleep(SHUTDOWN_BOUND_MS + 5_000).then(() => null)]);
    expect(exit, outputOf(EARLY_DATA_DIR)).toEqual({ code: 0, signal: null });
    expect(processesOn(EARLY_DATA_DIR), "initdb or PostgreSQL left behind").toEqual([]);
    for (const [name, port] of Object.entries(PORTS)) expect(await acceptsConnections(port), `${name} listening`).toBe(false);
  } finally {
    await stack.stop(); // at once when it already exited; otherwise what a failed assertion left running
  }
});
