import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/analytics/export/route";
import { getDb } from "@/db/client";
import { workspaces } from "@/db/schema";
import { csvField, csvRow } from "@/lib/analytics/csv";
import { createAccount, type TestAccount } from "./factories/accounts";
import { createConversation, createMessage, createPlatformAccount } from "./factories/messaging";

const run = promisify(execFile);

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

/** Calls the export route and keeps the body as bytes (Response.text() would swallow the BOM). */
async function download(account: TestAccount, query: Record<string, string>): Promise<Download> {
  const request = new NextRequest(`http://localhost:3000/api/analytics/export?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${account.token}` },
  });
  const response = await exportRoute(request, { params: Promise.resolve({}) });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes; throws on anything else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i];
        i++;
      }
      if (i < text.length && text[i] !== "," && text[i] !== "\r") throw new Error(`text after a closing quote at ${i}`);
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === "\n" || text[i] === '"') throw new Error(`bare ${JSON.stringify(text[i])} in an unquoted field at ${i}`);
        field += text[i];
        i++;
      }
    }
    record.push(field);
    field = "";
    if (text[i] === ",") {
      i++;
    } else if (text[i] === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`CR without LF at ${i}`);
      records.push(record);
      record = [];
      i += 2;
    }
  }
  if (record.length > 0) throw new Error("the last record has no CRLF");
  return records;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const hostile: [text: string | null, expected: string][] = [
  ["Hello, world", "Hello, world"],
  ['She said "hi"', 'She said "hi"'],
  ["two\nlines", "two\nlines"],
  ["windows\r\nlines", "windows\r\nlines"],
  ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ["@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"],
  ["+1 555 0100", "'+1 555 0100"],
  ["-2+3", "'-2+3"],
  ["\tindented", "'\tindented"],
  ["\rcarriage", "'\rcarriage"],
  ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
  ["Emoji 😀👍🏽 and café", "Emoji 😀👍🏽 and café"],
  ["مرحبا بالعالم \u200f(RTL)", "مرحبا بالعالم \u200f(RTL)"],
  ["  padded  ", "  padded  "],
  ["", ""],
  [null, ""],
];

describe("CSV cells", () => {
  it("quotes only when needed, doubles quotes and ends rows with CRLF", () => {
    expect(csvRow(["a", "b,c", 'd"e', 3, null])).toBe('a,"b,c","d""e",3,\r\n');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvField(-5)).toBe("-5");
  });
});

describe("GET /api/analytics/export", () => {
  let account: TestAccount;

  beforeAll(async () => {
    account = await createAccount({ timezone: "Europe/Berlin" });
    await getDb()
      .update(workspaces)
      .set({ name: "Café Zürich & Söhne" })
      .where(sql`${workspaces.id} = ${account.workspace.id}`);
    const instagram = await createPlatformAccount(account.workspace.id, { platform: "instagram" });
    const whatsapp = await createPlatformAccount(account.workspace.id, { platform: "whatsapp" });
    const customer = await createConversation(instagram);
    let minute = 0;
    for (const [text] of hostile) {
      minute += 1;
      await createMessage(customer, {
        direction: "incoming",
        text,
        type: text === null ? "image" : "text",
        sentAt: new Date(Date.UTC(2026, 9, 10, 9, minute)),
      });
    }
    await createMessage(customer, { direction: "outgoing", text: "Thanks!", sentAt: new Date(Date.UTC(2026, 9, 10, 10, 0)) });
    const other = await createConversation(whatsapp);
    await createMessage(other, { direction: "incoming", text: "WhatsApp hello", sentAt: new Date(Date.UTC(2026, 9, 11, 8, 0)) });
    await createMessage(other, {
      direction: "outgoing",
      text: "WhatsApp reply",
      sentAt: new Date(Date.UTC(2026, 9, 11, 8, 4, 12)),
    });
  });

  it("streams messages as RFC 4180 CSV in UTF-8 with a BOM, neutralizing formulas in hostile texts", async () => {
    const result = await download(account, { format: "csv", kind: "messages", from: "2026-10-01", to: "2026-10-31" });
    expect(result.status).toBe(200);
    expect(result.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(result.headers.get("content-disposition")).toBe('attachment; filename="chats-messages-2026-10-01-to-2026-10-31.csv"');
    expect(result.bytes.subarray(0, 3).equals(BOM)).toBe(true);
    const records = parseCsv(result.bytes.subarray(3).toString("utf8"));
    const [header, ...rows] = records;
    expect(header).toEqual([
      "sent_at_utc",
      "sent_at_local",
      "platform",
      "direction",
      "type",
      "status",
      "sent_from",
      "conversation_id",
      "contact_name",
      "contact_username",
      "message_id",
      "text",
    ]);
    expect(rows).toHaveLength(hostile.length + 3);
    expect(rows.slice(0, hostile.length).map((row) => row[11])).toEqual(hostile.map(([, expected]) => expected));
    expect(rows[0]?.slice(0, 7)).toEqual([
      "2026-10-10T09:01:00.000Z",
      "2026-10-10 11:01:00",
      "instagram",
      "incoming",
      "text",
      "received",
      "",
    ]);
    // No cell anywhere starts with a formula character.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("filters messages by platform and direction", async () => {
    const result = await download(account, {
      format: "csv",
      kind: "messages",
      from: "2026-10-01",
      to: "2026-10-31",
      platform: "whatsapp",
      direction: "outgoing",
    });
    expect(result.headers.get("content-disposition")).toContain(
      'filename="chats-messages-whatsapp-2026-10-01-to-2026-10-31.csv"',
    );
    const rows = parseCsv(result.bytes.subarray(3).toString("utf8")).slice(1);
    expect(rows.map((row) => [row[2], row[3], row[11]])).toEqual([["whatsapp", "outgoing", "WhatsApp reply"]]);
  });

  it("exports daily figures per platform with each day's response-time percentiles", async () => {
    const result = await download(account, { format: "csv", from: "2026-10-10", to: "2026-10-11" });
    expect(result.status).toBe(200);
    expect(result.headers.get("content-disposition")).toBe('attachment; filename="chats-daily-2026-10-10-to-2026-10-11.csv"');
    expect(result.bytes.subarray(0, 3).equals(BOM)).toBe(true);
    const text = result.bytes.subarray(3).toString("utf8");
    expect(text.split("\r\n")[0]).toBe(
      "date,platform,incoming,outgoing,active_conversations,new_conversations,first_response_p50_seconds,first_response_p90_seconds,reply_p50_seconds,reply_p90_seconds",
    );
    const rows = parseCsv(text).slice(1);
    expect(rows).toHaveLength(6);
    // 16 customer messages 09:01–09:16 UTC answered at 10:00: waits of 59 … 44 minutes; one wait (the first).
    expect(rows[0]).toEqual(["2026-10-10", "instagram", "16", "1", "1", "1", "3540", "3540", "3090", "3450"]);
    expect(rows[5]).toEqual(["2026-10-11", "whatsapp", "1", "1", "1", "1", "252", "252", "252", "252"]);
    expect(rows[1]).toEqual(["2026-10-10", "messenger", "0", "0", "0", "0", "", "", "", ""]);
  });

  it("renders a printable PDF report whose text carries the title, range, figures and platforms", async () => {
    const result = await download(account, { format: "pdf", from: "2026-10-01", to: "2026-10-31" });
    expect(result.status).toBe(200);
    expect(result.headers.get("content-type")).toBe("application/pdf");
    expect(result.headers.get("content-disposition")).toBe('attachment; filename="chats-report-2026-10-01-to-2026-10-31.pdf"');
    expect(result.bytes.subarray(0, 5).toString()).toBe("%PDF-");

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "chats-pdf-"));
    const file = path.join(dir, "report.pdf");
    await fs.writeFile(file, result.bytes);
    if (process.env.KEEP_PDF) await fs.copyFile(file, process.env.KEEP_PDF);
    const { stdout: info } = await run("pdfinfo", [file]);
    expect(info).toMatch(/Pages:\s+1\b/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);

    const { stdout: text } = await run("pdftotext", ["-layout", file, "-"]);
    expect(text).toContain("Chats analytics report");
    expect(text).toContain("Café Zürich & Söhne");
    expect(text).toContain("Oct 1 – Oct 31, 2026 (31 days)");
    expect(text).toContain("Europe/Berlin");
    for (const platform of ["Instagram", "Messenger", "WhatsApp"]) expect(text).toContain(platform);
    expect(text).toMatch(/Incoming messages\s+Outgoing messages\s+Active conversations\s+New conversations/);
    // 16 + 1 customer messages, 2 replies, 2 conversations, both new.
    expect(text).toMatch(/\n\s*17\s+2\s+2\s+2\s*\n/);
    // First response: instagram 3540 s, whatsapp 252 s → median 1896 s; WhatsApp's own is 252 s.
    expect(text).toContain("31m 36s");
    expect(text).toContain("4m 12s");
    expect(text).toMatch(/Instagram\s+16\s+1\s+1\s+1\s+89%/);

    // Rasterized, the page has ink where the chart is, and is otherwise white paper.
    await run("pdftoppm", ["-r", "40", "-gray", file, path.join(dir, "page")]);
    const pages = (await fs.readdir(dir)).filter((name) => name.startsWith("page"));
    expect(pages).toHaveLength(1);
    const image = await fs.readFile(path.join(dir, pages[0] ?? ""));
    const { width, height, pixels } = readPgm(image);
    expect([width, height]).toEqual([331, 468]);
    const dark = pixels.filter((value) => value < 128).length;
    const white = pixels.filter((value) => value > 240).length;
    expect(dark / pixels.length).toBeGreaterThan(0.01);
    expect(white / pixels.length).toBeGreaterThan(0.8);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("answers 400 for an unknown format or kind", async () => {
    expect((await download(account, { format: "xlsx" })).status).toBe(400);
    expect((await download(account, { format: "csv", kind: "contacts" })).status).toBe(400);
    expect((await download(account, { format: "csv", direction: "sideways" })).status).toBe(400);
  });
});

function readPgm(image: Buffer): { width: number; height: number; pixels: Uint8Array } {
  // "P5\n<width> <height>\n255\n" then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(image.subarray(0, 64).toString("latin1"));
  if (!header) throw new Error("not a binary PGM");
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: new Uint8Array(image.subarray(header[0].length)) };
}

describe("exporting 100k messages", () => {
  it("streams the CSV with flat memory: the live heap never grows by more than a fraction of the file", async () => {
    const account = await createAccount({ timezone: "UTC" });
    const messenger = await createPlatformAccount(account.workspace.id, { platform: "messenger" });
    for (let i = 0; i < 20; i++) await createConversation(messenger);
    const seeded = Date.now();
    await getDb().execute(sql`
      insert into messages (workspace_id, conversation_id, platform_account_id, platform, external_id, direction, type, text, status, sent_at)
      select ${account.workspace.id}::uuid, c.id, ${messenger.id}::uuid, 'messenger', 'bulk_' || g,
             (case when g % 3 = 0 then 'outgoing' else 'incoming' end)::message_direction, 'text',
             'Message ' || g || ', "quoted" ' || repeat('x', 240),
             (case when g % 3 = 0 then 'sent' else 'received' end)::message_status,
             timestamptz '2026-10-01 00:00:00+00' + g * interval '20 seconds'
      from generate_series(1, 100000) as g
      join (select id, (row_number() over (order by id)) - 1 as n from conversations where workspace_id = ${account.workspace.id}::uuid) c
        on c.n = g % 20`);
    console.log(`seeded 100k messages in ${Date.now() - seeded} ms`);

    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;

    const request = new NextRequest(
      "http://localhost:3000/api/analytics/export?format=csv&kind=messages&from=2026-10-01&to=2026-10-31",
      { headers: { authorization: `Bearer ${account.token}` } },
    );
    const started = Date.now();
    const response = await exportRoute(request, { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    let bytes = 0;
    let lines = 0;
    let nextSample = 0;
    let peakHeapGrowth = 0;
    let peakRssGrowth = 0;
    let head = "";
    let tail = Buffer.alloc(0);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes === 0) head = Buffer.from(value.subarray(0, 200)).toString("utf8");
      bytes += value.byteLength;
      for (const byte of value) if (byte === 0x0a) lines++;
      tail = Buffer.from(value.subarray(Math.max(0, value.byteLength - 400)));
      if (bytes >= nextSample) {
        gc();
        const usage = process.memoryUsage();
        peakHeapGrowth = Math.max(peakHeapGrowth, usage.heapUsed - heapBefore);
        peakRssGrowth = Math.max(peakRssGrowth, usage.rss - rssBefore);
        nextSample = bytes + 1_000_000;
      }
    }
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    console.log(
      `100k-message CSV: ${mib(bytes)} in ${Date.now() - started} ms; peak live-heap growth ${mib(peakHeapGrowth)}, peak RSS growth ${mib(peakRssGrowth)}`,
    );

    expect(head.startsWith("\uFEFFsent_at_utc,sent_at_local,platform,direction")).toBe(true);
    expect(lines).toBe(100_001);
    expect(tail.toString("utf8")).toMatch(/"Message 100000, ""quoted"" x+"\r\n$/);
    expect(bytes).toBeGreaterThan(35_000_000);
    // Holding the rows would cost at least the file's size (~38 MB as UTF-8, double as JS strings).
    // One batch of 1,000 rows is ~0.4 MB; the bound leaves room for driver buffers and GC timing.
    expect(peakHeapGrowth).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});
