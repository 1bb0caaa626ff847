import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

// Direct access to the browser tests' database, for seeding what the public API cannot create yet
// (messages arrive by webhook). playwright.config.ts starts the app with DATA_DIR=.data/e2e and the
// embedded PostgreSQL on 127.0.0.1:54339, database `chats`, user `postgres`; the password is generated
// on first start into .data/e2e/secrets.json (POSTGRES_PASSWORD). Only ever used against that server.

const E2E_DATA_DIR = path.resolve(".data/e2e");

export function e2eDatabaseUrl(): string {
  const secrets = JSON.parse(fs.readFileSync(path.join(E2E_DATA_DIR, "secrets.json"), "utf8")) as { POSTGRES_PASSWORD?: string };
  if (!secrets.POSTGRES_PASSWORD)
    throw new Error(`${E2E_DATA_DIR}/secrets.json has no POSTGRES_PASSWORD; start the e2e server first`);
  return `postgres://postgres:${encodeURIComponent(secrets.POSTGRES_PASSWORD)}@127.0.0.1:54339/chats`;
}

export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface SeedMessage {
  platform: "instagram" | "messenger" | "whatsapp";
  direction: "incoming" | "outgoing";
  sentAt: Date;
  text?: string;
}

/**
 * Gives the user's (first) workspace one conversation per platform and the given messages in them,
 * as if they had arrived by webhook. Returns the workspace id.
 */
export async function seedMessages(email: string, messages: SeedMessage[]): Promise<string> {
  return withDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `select m.workspace_id as id from memberships m join users u on u.id = m.user_id
       where lower(u.email) = lower($1) order by m.created_at limit 1`,
      [email],
    );
    const workspaceId = rows[0]?.id;
    if (!workspaceId) throw new Error(`no workspace for ${email}`);
    await client.query("begin");
    try {
      const conversations = new Map<string, { id: string; accountId: string }>();
      for (const platform of new Set(messages.map((m) => m.platform))) {
        const suffix = randomBytes(6).toString("hex");
        const account = await client.query<{ id: string }>(
          `insert into platform_accounts (workspace_id, platform, external_id, name) values ($1, $2, $3, $4) returning id`,
          [workspaceId, platform, `e2e-${suffix}`, `E2E ${platform}`],
        );
        const accountId = account.rows[0]?.id ?? "";
        const contact = await client.query<{ id: string }>(
          `insert into contacts (workspace_id, platform_account_id, platform, external_id, name) values ($1, $2, $3, $4, $5) returning id`,
          [workspaceId, accountId, platform, `c-${suffix}`, `Customer on ${platform}`],
        );
        const conversation = await client.query<{ id: string }>(
          `insert into conversations (workspace_id, platform_account_id, contact_id, platform) values ($1, $2, $3, $4) returning id`,
          [workspaceId, accountId, contact.rows[0]?.id, platform],
        );
        conversations.set(platform, { id: conversation.rows[0]?.id ?? "", accountId });
      }
      for (const message of messages) {
        const conversation = conversations.get(message.platform);
        await client.query(
          `insert into messages (workspace_id, conversation_id, platform_account_id, platform, external_id, direction, type, text,
                                 status, sent_at, sent_from)
           values ($1, $2, $3, $4, $5, $6, 'text', $7, $8, $9, $10)`,
          [
            workspaceId,
            conversation?.id,
            conversation?.accountId,
            message.platform,
            `m-${randomBytes(8).toString("hex")}`,
            message.direction,
            message.text ?? "Hello",
            message.direction === "incoming" ? "received" : "sent",
            message.sentAt,
            message.direction === "outgoing" ? "chats" : null,
          ],
        );
      }
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
    return workspaceId;
  });
}
