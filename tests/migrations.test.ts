import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { runMigrations } from "@/db/migrate";

const adminUrl = inject("postgresAdminUrl");
const created: string[] = [];

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(text, values);
  } finally {
    await client.end();
  }
}

async function emptyDatabase(): Promise<string> {
  const name = `migrate_${randomBytes(5).toString("hex")}`;
  await query(adminUrl, `create database ${name}`);
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  for (const name of created) await query(adminUrl, `drop database if exists ${name} with (force)`);
});

const expectedTables = [
  "accounts",
  "analytics_daily",
  "audit_events",
  "contacts",
  "conversations",
  "memberships",
  "messages",
  "password_reset_tokens",
  "pending_message_events",
  "platform_accounts",
  "rate_limits",
  "realtime_events",
  "refresh_tokens",
  "sessions",
  "socket_io_attachments",
  "users",
  "verification_tokens",
  "webhook_events",
  "workspaces",
];

async function tablesOf(url: string) {
  const { rows } = await query<{ table_name: string }>(
    url,
    "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
  );
  return rows.map((row) => row.table_name);
}

describe("migrations", () => {
  it("create every table of the design on an empty database", async () => {
    const url = await emptyDatabase();
    await runMigrations(url);
    expect(await tablesOf(url)).toEqual(expectedTables);
  });

  it("apply twice without error or change", async () => {
    const url = await emptyDatabase();
    await runMigrations(url);
    const { rows: before } = await query(url, "select count(*)::int as n from drizzle.__drizzle_migrations");
    await runMigrations(url);
    const { rows: after } = await query(url, "select count(*)::int as n from drizzle.__drizzle_migrations");
    expect(after).toEqual(before);
    expect(await tablesOf(url)).toEqual(expectedTables);
  });

  it("run once when several instances start together", async () => {
    const url = await emptyDatabase();
    await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url), runMigrations(url)]);
    const { rows } = await query<{ n: number }>(url, "select count(*)::int as n from drizzle.__drizzle_migrations");
    const { rows: files } = await query<{ n: number }>(
      url,
      "select count(distinct hash)::int as n from drizzle.__drizzle_migrations",
    );
    expect(rows[0]?.n).toBe(files[0]?.n);
    expect(await tablesOf(url)).toEqual(expectedTables);
  });

  it("keep rate-limit counters out of the WAL, and nothing else", async () => {
    const url = await emptyDatabase();
    await runMigrations(url);
    const { rows } = await query<{ relname: string }>(
      url,
      "select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relpersistence = 'u'",
    );
    expect(rows.map((row) => row.relname)).toEqual(["rate_limits"]);
  });

  it("make message ingest idempotent and searchable", async () => {
    const url = await emptyDatabase();
    await runMigrations(url);
    const { rows: ws } = await query<{ id: string }>(url, "insert into workspaces (name) values ('Acme') returning id");
    const workspaceId = ws[0]?.id;
    const { rows: accounts } = await query<{ id: string }>(
      url,
      "insert into platform_accounts (workspace_id, platform, external_id, name) values ($1, 'messenger', '1001', 'Acme Page') returning id",
      [workspaceId],
    );
    const accountId = accounts[0]?.id;
    const { rows: contacts } = await query<{ id: string }>(
      url,
      "insert into contacts (workspace_id, platform_account_id, platform, external_id) values ($1, $2, 'messenger', 'psid-1') returning id",
      [workspaceId, accountId],
    );
    const { rows: conversations } = await query<{ id: string }>(
      url,
      "insert into conversations (workspace_id, platform_account_id, contact_id, platform) values ($1, $2, $3, 'messenger') returning id",
      [workspaceId, accountId, contacts[0]?.id],
    );
    const insert = `insert into messages (workspace_id, conversation_id, platform_account_id, platform, external_id, direction, type, text, status, sent_at)
      values ($1, $2, $3, 'messenger', 'm_1', 'incoming', 'text', $4, 'received', now())
      on conflict (platform_account_id, external_id) do nothing returning id`;
    const values = [workspaceId, conversations[0]?.id, accountId, "Where is my order? Les commandes arrivent-elles à Zürich?"];
    expect((await query(url, insert, values)).rowCount).toBe(1);
    expect((await query(url, insert, values)).rowCount).toBe(0);

    const search = async (q: string) =>
      (await query(url, "select id from messages where search_vector @@ websearch_to_tsquery('english', $1)", [q])).rowCount;
    expect(await search("orders")).toBe(1);
    expect(await search("Zürich")).toBe(1);
    expect(await search("refund")).toBe(0);

    await expect(
      query(
        url,
        "insert into platform_accounts (workspace_id, platform, external_id, name) values ($1, 'messenger', '1001', 'Again')",
        [workspaceId],
      ),
    ).rejects.toThrow(/duplicate key/);
  });
});
