import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import type { Database } from "@/db/client";
import * as schema from "@/db/schema";

// EXPLAIN (ANALYZE, BUFFERS) of exactly the SQL the app runs: the bench calls the same query
// functions the routes call, on a Drizzle instance whose logger records each statement with its
// parameters, then explains what was recorded. The JSON keeps a summary per statement: which
// indexes were used, which tables were read in full, time and buffers.

export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Alias?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

export interface ExplainRoot {
  Plan: PlanNode;
  "Planning Time": number;
  "Execution Time": number;
}

export interface PlanSummary {
  executionMs: number;
  planningMs: number;
  indexes: string[];
  /** Tables read in full (Seq Scan), with the rows they yielded. */
  seqScans: string[];
  sharedHitBlocks: number;
  sharedReadBlocks: number;
  /** The plan's shape, one node per line, indented by depth. */
  outline: string[];
}

function describe(node: PlanNode): string {
  const on = node["Relation Name"] ? ` on ${node["Relation Name"]}` : "";
  const using = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  const rows = node["Actual Rows"] !== undefined ? ` (rows=${node["Actual Rows"]} loops=${node["Actual Loops"] ?? 1})` : "";
  return `${node["Node Type"]}${using}${on}${rows}`;
}

export function summarizePlan(root: ExplainRoot): PlanSummary {
  const indexes = new Set<string>();
  const seqScans: string[] = [];
  const outline: string[] = [];
  const walk = (node: PlanNode, depth: number) => {
    outline.push(`${"  ".repeat(depth)}${describe(node)}`);
    if (node["Index Name"]) indexes.add(node["Index Name"]);
    if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) {
      seqScans.push(`${node["Relation Name"]} (rows=${(node["Actual Rows"] ?? 0) * (node["Actual Loops"] ?? 1)})`);
    }
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(root.Plan, 0);
  return {
    executionMs: Math.round(root["Execution Time"] * 100) / 100,
    planningMs: Math.round(root["Planning Time"] * 100) / 100,
    indexes: [...indexes],
    seqScans,
    sharedHitBlocks: root.Plan["Shared Hit Blocks"] ?? 0,
    sharedReadBlocks: root.Plan["Shared Read Blocks"] ?? 0,
    outline,
  };
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/** A Drizzle database that records every statement it runs (and still runs it). */
export function recordingDb(pool: pg.Pool): { db: Database; take(): Statement[] } {
  let statements: Statement[] = [];
  const db = drizzle({
    client: pool,
    schema,
    casing: "snake_case",
    logger: { logQuery: (sql, params) => statements.push({ sql, params }) },
  }) as Database;
  return {
    db,
    take() {
      const taken = statements;
      statements = [];
      return taken;
    },
  };
}

export interface ExplainedStatement {
  sql: string;
  plan: PlanSummary;
}

export async function explain(pool: pg.Pool, statement: Statement): Promise<ExplainedStatement> {
  const { rows } = await pool.query<{ "QUERY PLAN": ExplainRoot[] }>(
    `explain (analyze, buffers, format json) ${statement.sql}`,
    statement.params,
  );
  const root = rows[0]?.["QUERY PLAN"][0];
  if (!root) throw new Error("EXPLAIN returned no plan");
  return { sql: statement.sql.replace(/\s+/g, " ").trim(), plan: summarizePlan(root) };
}

/** Runs `task` against a recording database and explains every statement it ran. */
export async function explainAll(pool: pg.Pool, task: (db: Database) => Promise<unknown>): Promise<ExplainedStatement[]> {
  const recorder = recordingDb(pool);
  await task(recorder.db);
  const explained: ExplainedStatement[] = [];
  for (const statement of recorder.take()) explained.push(await explain(pool, statement));
  return explained;
}
