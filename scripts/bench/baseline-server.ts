import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import pg from "pg";

// The bare baseline for webhook ingest: what the app's webhook route must do before it answers
// (read the raw body, check X-Hub-Signature-256 in constant time, parse the JSON, insert the event
// into webhook_events), with nothing else: no framework, no router, no processing. The app's
// throughput is reported as a ratio of this one's, measured in the same run on the same database.
// Started by the bench as its own process: BASELINE_PORT, DATABASE_URL, META_APP_SECRET.

const port = Number(process.env.BASELINE_PORT);
const databaseUrl = process.env.DATABASE_URL;
const secret = process.env.META_APP_SECRET;
if (!Number.isInteger(port) || !databaseUrl || !secret) {
  console.error("baseline: BASELINE_PORT, DATABASE_URL and META_APP_SECRET are required");
  process.exit(1);
}

const BODY_LIMIT = 4 * 1024 * 1024;
const PLATFORMS = new Set(["messenger", "instagram", "whatsapp"]);
// The same pool size as the app's (db/client.ts).
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, application_name: "chats-bench-baseline" });

function signatureOk(body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice(7), "hex");
  const expected = createHmac("sha256", secret as string)
    .update(body)
    .digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reply(res: http.ServerResponse, status: number, body: object) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const platform = /^\/api\/webhooks\/([a-z]+)$/.exec(req.url ?? "")?.[1];
  if (req.method !== "POST" || !platform || !PLATFORMS.has(platform)) return reply(res, 404, { error: { code: "not_found" } });
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > BODY_LIMIT) req.destroy();
    else chunks.push(chunk);
  });
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    if (!signatureOk(body, req.headers["x-hub-signature-256"] as string | undefined)) {
      return reply(res, 401, { error: { code: "invalid_signature" } });
    }
    const text = body.toString("utf8");
    let object: string | null;
    try {
      const parsed = JSON.parse(text) as { object?: unknown };
      object = typeof parsed.object === "string" ? parsed.object : null;
    } catch {
      return reply(res, 400, { error: { code: "invalid_json" } });
    }
    pool
      .query<{ id: string }>(
        "insert into webhook_events (platform, raw_body, signature_ok, object) values ($1, $2, true, $3) returning id",
        [platform, text, object],
      )
      .then(
        (result) => reply(res, 200, { received: true, id: result.rows[0]?.id }),
        () => reply(res, 500, { error: { code: "internal_error" } }),
      );
  });
});

server.listen(port, "127.0.0.1", () => console.log(`baseline listening on 127.0.0.1:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
}
