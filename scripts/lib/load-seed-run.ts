import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Database } from "@/db/client";
import * as schema from "@/db/schema";
import { rollUpDays } from "@/lib/analytics/rollup";
import { addDays, todayIn } from "@/lib/analytics/range";
import { registerUser } from "@/lib/auth/accounts";
import type { SeedArgs } from "./load-seed-args";
import { buildSeedPlan, type SeedPlatform } from "./load-seed-plan";
import { settleTables, writeSeed, type SeedAccount, type SeedTarget } from "./load-seed";

// Resolves whose inbox the load goes into, then plans, writes, settles and rolls up.

const PLATFORMS: SeedPlatform[] = ["messenger", "instagram", "whatsapp"];

/**
 * The user's first owned workspace and, per platform, its connected account; a platform with none
 * gets a disconnected "history only" account (no token, nothing to sync), which is what a workspace
 * keeps after disconnecting an account without purging its history.
 */
async function resolveTarget(pool: pg.Pool, db: Database, args: SeedArgs, say: (line: string) => void): Promise<SeedTarget> {
  let user = (await pool.query<{ id: string }>("select id from users where lower(email) = lower($1)", [args.email])).rows[0];
  if (!user) {
    if (!args.password) throw new Error(`no account for ${args.email}; pass --password to create it`);
    user = await registerUser(db, { email: args.email, password: args.password, name: "Load Test" });
    say(`created the account ${args.email}`);
  }
  const workspace = (
    await pool.query<{ workspace_id: string }>(
      "select workspace_id from memberships where user_id = $1 order by (role = 'owner') desc, created_at limit 1",
      [user.id],
    )
  ).rows[0];
  if (!workspace) throw new Error(`${args.email} belongs to no workspace`);
  const accounts = {} as Record<SeedPlatform, SeedAccount>;
  for (const platform of PLATFORMS) {
    const found = await pool.query<{ id: string; external_id: string; name: string }>(
      `select id, external_id, name from platform_accounts where workspace_id = $1 and platform = $2
       order by (status <> 'disconnected') desc, connected_at limit 1`,
      [workspace.workspace_id, platform],
    );
    let account = found.rows[0];
    if (!account) {
      const externalId = `99${workspace.workspace_id.replace(/\D/g, "").slice(0, 13).padEnd(13, "0")}`;
      const created = await pool.query<{ id: string; external_id: string; name: string }>(
        `insert into platform_accounts (workspace_id, platform, external_id, name, status, status_reason, connected_by_user_id)
         values ($1, $2, $3, $4, 'disconnected', 'load-test history', $5)
         returning id, external_id, name`,
        [workspace.workspace_id, platform, externalId, `Load test ${platform}`, user.id],
      );
      account = created.rows[0];
      say(`no ${platform} account in the workspace: its history goes to a disconnected one`);
    }
    if (!account) throw new Error(`could not find or create a ${platform} account`);
    accounts[platform] = { id: account.id, externalId: account.external_id, name: account.name };
  }
  return { workspaceId: workspace.workspace_id, userId: user.id, accounts };
}

export interface SeedSummary {
  workspaceId: string;
  userId: string;
  messages: number;
  conversations: number;
  seconds: { write: number; settle: number; rollup: number };
}

export async function runLoadSeed(databaseUrl: string, args: SeedArgs, say: (line: string) => void): Promise<SeedSummary> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: "chats-seed-load" });
  const db = drizzle({ client: pool, schema, casing: "snake_case" }) as Database;
  try {
    const target = await resolveTarget(pool, db, args, say);
    const now = new Date();
    const plan = buildSeedPlan({ messages: args.messages, conversations: args.conversations, days: args.days, now });
    let started = performance.now();
    let lastSaid = 0;
    await writeSeed(pool, target, plan, (progress) => {
      if (performance.now() - lastSaid > 5_000 || progress.conversations === plan.length) {
        lastSaid = performance.now();
        say(`${progress.messages.toLocaleString("en")} messages in ${progress.conversations.toLocaleString("en")} conversations`);
      }
    });
    const write = (performance.now() - started) / 1000;
    started = performance.now();
    await settleTables(pool);
    const settle = (performance.now() - started) / 1000;
    started = performance.now();
    if (args.rollup) {
      // As after a history import: every closed day of the span rolled up, a month per statement.
      const to = addDays(todayIn("UTC", now), -1);
      for (let from = addDays(to, -(args.days + 1)); from <= to; from = addDays(from, 30)) {
        const end = addDays(from, 29);
        await rollUpDays(db, { workspaceId: target.workspaceId, from, to: end < to ? end : to, now });
      }
    }
    const rollup = (performance.now() - started) / 1000;
    return {
      workspaceId: target.workspaceId,
      userId: target.userId,
      messages: args.messages,
      conversations: args.conversations,
      seconds: { write, settle, rollup },
    };
  } finally {
    await pool.end();
  }
}
