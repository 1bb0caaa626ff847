import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { messages } from "@/db/schema";
import { dayStart, tenancy } from "./day-rows";
import { getDailyDetail } from "./metrics";
import type { AnalyticsScope } from "./scope";

// CSV export: RFC 4180 (fields with a comma, quote, CR or LF are quoted, quotes doubled, CRLF line
// ends), UTF-8 with a byte-order mark so spreadsheet apps pick the right encoding, and every text
// cell that a spreadsheet would read as a formula (= + - @, or a leading tab / CR) prefixed with a
// single quote. Streams are pulled batch by batch: the consumer's pace decides how much is read,
// and at most one batch of rows is held at a time.

export const BOM = "\uFEFF";
export const CRLF = "\r\n";

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | boolean | null | undefined;

/** One cell: numbers as written, text neutralized against formula injection and quoted when needed. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvField).join(",") + CRLF;
}

/**
 * A byte stream of BOM + header + rows, pulling the next batch only when the consumer asks for more.
 * Cancelling the stream (the client went away) stops the batch source.
 */
export function csvStream(header: readonly string[], batches: AsyncIterable<CsvValue[][]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(BOM + csvRow(header)));
          return;
        }
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map(csvRow).join("")));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}

export const DAILY_CSV_HEADER = [
  "date",
  "platform",
  "incoming",
  "outgoing",
  "active_conversations",
  "new_conversations",
  "first_response_p50_seconds",
  "first_response_p90_seconds",
  "reply_p50_seconds",
  "reply_p90_seconds",
] as const;

/** Daily figures per platform for the range (at most 366 × 3 rows, so one query). */
export function dailyCsv(db: Executor, scope: AnalyticsScope): ReadableStream<Uint8Array> {
  async function* batches(): AsyncGenerator<CsvValue[][]> {
    const days = await getDailyDetail(db, scope);
    yield days.map((day) => [
      day.date,
      day.platform,
      day.incoming,
      day.outgoing,
      day.conversations,
      day.newConversations,
      day.firstResponse.p50,
      day.firstResponse.p90,
      day.reply.p50,
      day.reply.p90,
    ]);
  }
  return csvStream(DAILY_CSV_HEADER, batches());
}

export const MESSAGES_CSV_HEADER = [
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
] as const;

export interface MessageFilters {
  direction?: "incoming" | "outgoing";
}

export const MESSAGES_BATCH_SIZE = 1000;

/**
 * Messages of the range, oldest first, read in keyset-paginated batches on (sent_at, id) over the
 * (workspace_id, sent_at) index: no transaction or cursor stays open between batches, and rows
 * arriving meanwhile never shift a page. The keyset carries sent_at as Postgres text so its
 * microseconds survive the round trip (a JS Date would cut them to milliseconds).
 */
export async function* messageBatches(
  db: Executor,
  scope: AnalyticsScope,
  filters: MessageFilters = {},
  batchSize = MESSAGES_BATCH_SIZE,
): AsyncGenerator<CsvValue[][]> {
  let after: { sentAt: string; id: string } | null = null;
  for (;;) {
    const result = await db.execute(sql`
      select messages.id, messages.sent_at::text as keyset_sent_at,
             to_char(messages.sent_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as sent_at_utc,
             to_char(messages.sent_at at time zone ${scope.tz}::text, 'YYYY-MM-DD HH24:MI:SS') as sent_at_local,
             messages.platform::text as platform, messages.direction::text as direction, messages.type::text as type,
             messages.status::text as status, messages.sent_from::text as sent_from, messages.conversation_id,
             contacts.name as contact_name, contacts.username as contact_username, messages.text
      from messages
      join conversations on conversations.id = messages.conversation_id
      left join contacts on contacts.id = conversations.contact_id
      where messages.workspace_id = ${scope.workspaceId}::uuid and ${tenancy({ userId: scope.userId }, messages.workspaceId)}
        and messages.sent_at >= ${dayStart(sql`${scope.from}::date`, scope.tz)}
        and messages.sent_at < ${dayStart(sql`${scope.to}::date + 1`, scope.tz)}
        ${scope.platform ? sql`and messages.platform = ${scope.platform}::platform` : sql``}
        ${filters.direction ? sql`and messages.direction = ${filters.direction}::message_direction` : sql``}
        ${
          // The plain bound lets the index start at the keyset; the row comparison alone would be a filter
          // over every earlier row of the range, making the export quadratic.
          after
            ? sql`and messages.sent_at >= ${after.sentAt}::timestamptz
                  and (messages.sent_at, messages.id) > (${after.sentAt}::timestamptz, ${after.id}::uuid)`
            : sql``
        }
      order by messages.sent_at, messages.id
      limit ${batchSize}`);
    const rows = result.rows as Record<string, string | null>[];
    if (rows.length === 0) return;
    yield rows.map((row) => [
      row.sent_at_utc,
      row.sent_at_local,
      row.platform,
      row.direction,
      row.type,
      row.status,
      row.sent_from,
      row.conversation_id,
      row.contact_name,
      row.contact_username,
      row.id,
      row.text,
    ]);
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    after = { sentAt: String(last.keyset_sent_at), id: String(last.id) };
  }
}

export function messagesCsv(db: Executor, scope: AnalyticsScope, filters: MessageFilters = {}): ReadableStream<Uint8Array> {
  return csvStream(MESSAGES_CSV_HEADER, messageBatches(db, scope, filters));
}

/** `chats-messages-whatsapp-2026-10-01-to-2026-10-30.csv` */
export function exportFilename(kind: string, scope: Pick<AnalyticsScope, "from" | "to" | "platform">, extension: string): string {
  return ["chats", kind, scope.platform, scope.from, "to", scope.to].filter(Boolean).join("-") + `.${extension}`;
}
