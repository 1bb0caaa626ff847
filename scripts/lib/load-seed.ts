import type pg from "pg";
import { SESSION_LENGTH, MESSAGE_SPACING_MS, type ConversationPlan, type SeedPlatform } from "./load-seed-plan";
import {
  BUSINESS_TEMPLATES,
  CITIES,
  CUSTOMER_TEMPLATES,
  DAYS,
  FIRST_NAMES,
  LAST_NAMES,
  PRODUCTS,
  SIZES,
  TIMES,
} from "./load-seed-text";

// Writes a seed plan into the database in bulk: contacts and conversations from arrays (unnest),
// messages generated inside PostgreSQL (generate_series per conversation), so a million rows take
// seconds, not a million round trips. Every row is what ingest would have written: the same
// columns, the same generated search vector, conversations' bookkeeping computed from their
// messages. Deterministic ids and ON CONFLICT DO NOTHING make a repeated run add nothing.

export interface SeedAccount {
  id: string;
  externalId: string;
  name: string;
}

export interface SeedTarget {
  workspaceId: string;
  /** Author of the replies sent through Chats (sent_by_user_id). */
  userId: string;
  accounts: Record<SeedPlatform, SeedAccount>;
}

export interface SeedProgress {
  conversations: number;
  messages: number;
}

/** The customer's id on the platform, in each platform's format, clear of the sandbox fixture's ids. */
export function contactExternalId(platform: SeedPlatform, index: number): string {
  if (platform === "whatsapp") return `4477${String(index).padStart(8, "0")}`;
  return `${platform === "messenger" ? "2402" : "1785"}${String(index).padStart(13, "0")}`;
}

export function contactName(index: number): { first: string; full: string } {
  const first = FIRST_NAMES[index % FIRST_NAMES.length] ?? "Alex";
  const last = LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length] ?? "Doe";
  return { first, full: `${first} ${last}` };
}

/** Instagram handles look like handles; other platforms have none. */
export function contactUsername(platform: SeedPlatform, index: number): string | null {
  if (platform !== "instagram") return null;
  const { full } = contactName(index);
  return `${full
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z ]/g, "")
    .replace(" ", ".")}${index % 1000}`;
}

async function insertContactsAndConversations(client: pg.PoolClient, target: SeedTarget, plan: ConversationPlan[]) {
  const accountIds = plan.map((row) => target.accounts[row.platform].id);
  const externalIds = plan.map((row) => contactExternalId(row.platform, row.index));
  await client.query(
    `insert into contacts (workspace_id, platform_account_id, platform, external_id, name, username)
     select $1::uuid, c.account_id, c.platform, c.external_id, c.name, c.username
     from unnest($2::uuid[], $3::platform[], $4::text[], $5::text[], $6::text[]) as c(account_id, platform, external_id, name, username)
     on conflict (platform_account_id, external_id) do nothing`,
    [
      target.workspaceId,
      accountIds,
      plan.map((row) => row.platform),
      externalIds,
      plan.map((row) => contactName(row.index).full),
      plan.map((row) => contactUsername(row.platform, row.index)),
    ],
  );
  // Messenger and Instagram threads have a Graph id (t_…); WhatsApp has none.
  await client.query(
    `insert into conversations (workspace_id, platform_account_id, contact_id, platform, external_id)
     select $1::uuid, ct.platform_account_id, ct.id, ct.platform,
            case when ct.platform = 'whatsapp' then null else 't_' || md5('seed-thread:' || ct.external_id) end
     from unnest($2::uuid[], $3::text[]) as w(account_id, external_id)
     join contacts ct on ct.platform_account_id = w.account_id and ct.external_id = w.external_id
     on conflict (platform_account_id, contact_id) do nothing`,
    [target.workspaceId, accountIds, externalIds],
  );
  const { rows } = await client.query<{ id: string; account_id: string; external_id: string }>(
    `select cv.id, cv.platform_account_id as account_id, ct.external_id
     from unnest($1::uuid[], $2::text[]) as w(account_id, external_id)
     join contacts ct on ct.platform_account_id = w.account_id and ct.external_id = w.external_id
     join conversations cv on cv.platform_account_id = ct.platform_account_id and cv.contact_id = ct.id`,
    [accountIds, externalIds],
  );
  return new Map(rows.map((row) => [`${row.account_id}:${row.external_id}`, row.id]));
}

// One statement per chunk of conversations. For message j of a conversation: session s = j / 6,
// position p = j % 6 within it; directions follow p (customer, customer, business, customer,
// business, business) except the unread tail, which is the customer's. h1/h2 are per-message hashes
// picking templates and slot values; an order number is per session, so a thread keeps talking
// about the same order.
const INSERT_MESSAGES = `
with plan as (
  select * from unnest($3::uuid[], $4::uuid[], $5::platform[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                       $11::int[], $12::bigint[], $13::bigint[], $14::int[], $15::int[])
    as p(conversation_id, account_id, platform, account_external_id, account_name, contact_external_id, contact_first, contact_name,
         size, first_ms, gap_ms, unread_tail, seq)
),
generated as (
  select plan.*, g.j, g.j / ${SESSION_LENGTH} as s, g.j % ${SESSION_LENGTH} as pos,
         abs(hashint8(plan.seq::bigint * 1000003 + g.j)::bigint) as h1,
         abs(hashint8(plan.seq::bigint * 1000003 + g.j + 500000000000)::bigint) as h2,
         (g.j >= plan.size - plan.unread_tail or (g.j % ${SESSION_LENGTH}) in (0, 1, 3)) as incoming
  from plan cross join lateral generate_series(0, plan.size - 1) as g(j)
),
timed as (
  select generated.*,
         to_timestamp((first_ms + s * gap_ms + pos * ${MESSAGE_SPACING_MS} + h2 % 180000) / 1000.0) as at,
         (10000 + abs(hashint8(seq::bigint * 7919 + s)::bigint) % 90000)::text as order_no,
         case when incoming then $16::text[] else $17::text[] end as templates
  from generated
)
insert into messages (workspace_id, conversation_id, platform_account_id, platform, external_id, direction, type, text,
                      sender_id, sender_name, sent_by_user_id, status, status_at, is_read, read_at, sent_at, sent_from)
select $1::uuid, conversation_id, account_id, platform,
       case when platform = 'whatsapp' then 'wamid.' else 'm_' end || md5('seed:' || contact_external_id || ':' || j),
       (case when incoming then 'incoming' else 'outgoing' end)::message_direction,
       'text',
       replace(replace(replace(replace(replace(replace(replace(templates[1 + h1 % array_length(templates, 1)],
         '{order}', order_no),
         '{product}', ($18::text[])[1 + (h2 / 7) % array_length($18::text[], 1)]),
         '{size}', ($19::text[])[1 + (h2 / 131) % array_length($19::text[], 1)]),
         '{day}', ($20::text[])[1 + (h2 / 1009) % array_length($20::text[], 1)]),
         '{time}', ($21::text[])[1 + (h2 / 7919) % array_length($21::text[], 1)]),
         '{city}', ($22::text[])[1 + (h1 / 17) % array_length($22::text[], 1)]),
         '{name}', contact_first),
       case when incoming then contact_external_id else account_external_id end,
       case when incoming then contact_name else account_name end,
       case when not incoming and h1 % 5 <> 0 then $2::uuid end,
       (case when incoming then 'received' when at > now() - interval '1 day' then 'delivered' else 'read' end)::message_status,
       at,
       incoming and j < size - unread_tail,
       case when incoming and j < size - unread_tail then at + interval '2 minutes' end,
       at,
       (case when incoming then null when h1 % 5 = 0 then 'native' else 'chats' end)::sent_from
from timed
on conflict (platform_account_id, external_id) do nothing`;

// The bookkeeping ingest keeps per conversation (db/queries/ingest.ts), computed from its messages:
// the newest message's time, preview (lib/messaging/serialize.ts previewOf: whitespace collapsed,
// 140 code points) and direction, unread incoming messages, the customer's last message.
const UPDATE_CONVERSATIONS = `
with last as (
  select distinct on (conversation_id) conversation_id, sent_at, direction, regexp_replace(btrim(text), '\\s+', ' ', 'g') as line
  from messages where conversation_id = any($1::uuid[])
  order by conversation_id, sent_at desc, id desc
),
counts as (
  select conversation_id,
         count(*) filter (where direction = 'incoming' and not is_read)::int as unread,
         max(sent_at) filter (where direction = 'incoming') as last_incoming_at
  from messages where conversation_id = any($1::uuid[])
  group by conversation_id
)
update conversations c
set last_message_at = last.sent_at,
    last_message_preview = case when char_length(last.line) > 140 then left(last.line, 139) || '…' else last.line end,
    last_message_direction = last.direction,
    unread_count = counts.unread,
    last_incoming_at = counts.last_incoming_at
from last join counts using (conversation_id)
where c.id = last.conversation_id`;

/** Splits the plan into runs of whole conversations holding about `size` messages each. */
export function chunkPlan(plan: ConversationPlan[], size: number): ConversationPlan[][] {
  const chunks: ConversationPlan[][] = [];
  let current: ConversationPlan[] = [];
  let count = 0;
  for (const row of plan) {
    current.push(row);
    count += row.messages;
    if (count >= size) {
      chunks.push(current);
      current = [];
      count = 0;
    }
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * Skips re-checking foreign keys for the bulk insert (every reference was just read from these
 * tables), which saves a third of the time. Needs a superuser, as the embedded database has; on
 * any other database the checks simply run.
 */
async function trustReferences(client: pg.PoolClient): Promise<void> {
  await client.query("savepoint trust");
  try {
    await client.query("set local session_replication_role = replica");
    await client.query("release savepoint trust");
  } catch {
    await client.query("rollback to savepoint trust");
  }
}

type PreparedChunk = { ids: string[]; params: unknown[]; conversations: number; messages: number };

function prepareChunk(target: SeedTarget, conversationIds: Map<string, string>, chunk: ConversationPlan[]): PreparedChunk {
  const rows = chunk.map((row) => {
    const account = target.accounts[row.platform];
    const contactExternal = contactExternalId(row.platform, row.index);
    const conversationId = conversationIds.get(`${account.id}:${contactExternal}`);
    if (!conversationId) throw new Error(`seed: conversation for contact ${contactExternal} was not created`);
    return { row, account, contactExternal, conversationId };
  });
  const ids = rows.map((item) => item.conversationId);
  const params = [
    target.workspaceId,
    target.userId,
    ids,
    rows.map((item) => item.account.id),
    rows.map((item) => item.row.platform),
    rows.map((item) => item.account.externalId),
    rows.map((item) => item.account.name),
    rows.map((item) => item.contactExternal),
    rows.map((item) => contactName(item.row.index).first),
    rows.map((item) => contactName(item.row.index).full),
    rows.map((item) => item.row.messages),
    rows.map((item) => item.row.firstAt),
    rows.map((item) => item.row.sessionGapMs),
    rows.map((item) => item.row.unreadTail),
    rows.map((item) => item.row.index),
    CUSTOMER_TEMPLATES,
    BUSINESS_TEMPLATES,
    PRODUCTS,
    SIZES,
    DAYS,
    TIMES,
    CITIES,
  ];
  return { ids, params, conversations: chunk.length, messages: chunk.reduce((sum, row) => sum + row.messages, 0) };
}

/** Inserts the plan's rows: contacts and conversations first, then messages by two connections in parallel. */
export async function writeSeed(
  pool: pg.Pool,
  target: SeedTarget,
  plan: ConversationPlan[],
  onProgress: (progress: SeedProgress) => void = () => undefined,
): Promise<void> {
  const first = await pool.connect();
  let conversationIds: Map<string, string>;
  try {
    conversationIds = await insertContactsAndConversations(first, target, plan);
  } finally {
    first.release();
  }
  const queue = chunkPlan(plan, 25_000);
  const progress: SeedProgress = { conversations: 0, messages: 0 };
  const worker = async () => {
    const client = await pool.connect();
    try {
      for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
        const prepared = prepareChunk(target, conversationIds, chunk);
        await client.query("begin");
        try {
          await trustReferences(client);
          await client.query(INSERT_MESSAGES, prepared.params);
          await client.query(UPDATE_CONVERSATIONS, [prepared.ids]);
          await client.query("commit");
        } catch (error) {
          await client.query("rollback").catch(() => undefined);
          queue.length = 0; // the other worker stops after its current chunk
          throw error;
        }
        progress.conversations += prepared.conversations;
        progress.messages += prepared.messages;
        onProgress({ ...progress });
      }
    } finally {
      client.release();
    }
  };
  await Promise.all([worker(), worker()]);
}

/** What autovacuum would have done to tables that took a bulk insert: fresh statistics, a visibility map. */
export async function settleTables(pool: pg.Pool): Promise<void> {
  await pool.query("vacuum (analyze) contacts, conversations, messages");
}
