import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { startEmbeddedPostgres } from "../db/embedded-postgres";
import { acceptsConnections } from "../lib/server/probes";

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

function postgresRunning(dataDir: string): boolean {
  const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

interface Stack {
  child: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

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

/** A fresh data directory; refused while a database of an earlier run still holds it. */
function freshDataDir(dataDir: string): void {
  expect(postgresRunning(dataDir), `a PostgreSQL of an earlier run still holds ${dataDir}`).toBe(false);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** Exactly what `npm start` runs, in its own process group so a failed test can stop all of it. */
function startStack(dataDir: string, ports: Ports): Stack {
  const tsx = path.resolve("node_modules", "tsx", "dist", "cli.mjs");
  const child = spawn(process.execPath, [tsx, "--conditions=react-server", path.resolve("scripts", "start.ts")], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: "",
      META_APP_ID: "",
      DATA_DIR: dataDir,
      PORT: String(ports.app),
      APP_URL: `http://localhost:${ports.app}`,
      REALTIME_PORT: String(ports.realtime),
      REALTIME_URL: `http://localhost:${ports.realtime}`,
      SANDBOX_PORT: String(ports.sandbox),
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
      LOG_LEVEL: "info",
    },
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output, exited };
}

async function waitForHealth(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${APP}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(500);
  }
  throw new Error(`the stack was not healthy within ${timeoutMs} ms`);
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** A new user whose workspace holds the sandbox's WhatsApp number, connected through the public API. */
async function connectWhatsApp(): Promise<void> {
  const user = { email: `shutdown-${randomBytes(4).toString("hex")}@example.com`, password: randomBytes(12).toString("hex") };
  const headers = { "content-type": "application/json" };
  await json(
    await fetch(`${APP}/api/auth/register`, { method: "POST", headers, body: JSON.stringify({ ...user, name: "Ops" }) }),
  );
  const { accessToken } = await json<{ accessToken: string }>(
    await fetch(`${APP}/api/auth/login`, { method: "POST", headers, body: JSON.stringify(user) }),
  );
  const state = await json<{ tokens: { whatsapp: Record<string, string> } }>(await fetch(`${SANDBOX}/_sandbox/state`));
  await json(
    await fetch(`${APP}/api/platforms/whatsapp/connect`, {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        accessToken: state.tokens.whatsapp[WABA_ID],
        phoneNumberId: PHONE_NUMBER_ID,
        businessAccountId: WABA_ID,
      }),
    }),
  );
  // Connecting replays the number's history as webhooks; let that settle so only ours is in flight.
  await json(await fetch(`${SANDBOX}/_sandbox/idle?timeoutMs=60000`));
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
  freshDataDir(DATA_DIR);
  const stack = startStack(DATA_DIR, PORTS);
  const pid = stack.child.pid ?? 0;
  try {
    await waitForHealth(180_000);
    await connectWhatsApp();
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
    process.kill(pid, "SIGTERM");

    // The app stops listening while the webhook's body is still incomplete…
    const refusedBy = Date.now() + 15_000;
    while ((await acceptsConnections(PORTS.app)) && Date.now() < refusedBy) await sleep(50);
    expect(await acceptsConnections(PORTS.app), "new connections refused after SIGTERM").toBe(false);

    // …and still answers it once the rest arrives.
    const response = await webhook.finish();
    expect(response.status).toBe(200);
    const eventId = (JSON.parse(response.body) as { id: string }).id;

    const exit = await Promise.race([stack.exited, sleep(SHUTDOWN_BOUND_MS + 5_000).then(() => null)]);
    expect(exit, stack.output.join("")).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_BOUND_MS);
    for (const [name, port] of Object.entries(PORTS))
      expect(await acceptsConnections(port), `${name} still listening`).toBe(false);
    expect(postgresRunning(DATA_DIR), "PostgreSQL left running").toBe(false);

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
    if (stack.child.exitCode === null && stack.child.signalCode === null) {
      process.kill(-pid, "SIGTERM");
      await Promise.race([stack.exited, sleep(30_000)]);
    }
  }
});

test("SIGTERM while the database is still being created waits for it, stops it and leaves nothing running", async () => {
  test.setTimeout(120_000);
  freshDataDir(EARLY_DATA_DIR);
  const stack = startStack(EARLY_DATA_DIR, PORTS);
  const pid = stack.child.pid ?? 0;
  try {
    // A fresh data directory: initdb runs for seconds before PostgreSQL starts.
    const deadline = Date.now() + 60_000;
    while (processesOn(EARLY_DATA_DIR).length === 0 && Date.now() < deadline) await sleep(20);
    expect(processesOn(EARLY_DATA_DIR).length, "initdb running").toBeGreaterThan(0);
    process.kill(pid, "SIGTERM");

    const exit = await Promise.race([stack.exited, sleep(SHUTDOWN_BOUND_MS + 5_000).then(() => null)]);
    expect(exit, stack.output.join("")).toEqual({ code: 0, signal: null });
    expect(processesOn(EARLY_DATA_DIR), "initdb or PostgreSQL left behind").toEqual([]);
    for (const [name, port] of Object.entries(PORTS)) expect(await acceptsConnections(port), `${name} listening`).toBe(false);
  } finally {
    if (stack.child.exitCode === null && stack.child.signalCode === null) {
      process.kill(-pid, "SIGTERM");
      await Promise.race([stack.exited, sleep(30_000)]);
    }
  }
});
