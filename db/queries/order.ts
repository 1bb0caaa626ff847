import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/**
 * Newest first, the way our indexes are built: Drizzle creates `desc()` index columns as DESC NULLS
 * LAST, while ORDER BY … DESC means NULLS FIRST, which no index serves. With the mismatch
 * PostgreSQL sorted every row of a workspace for each page of the conversation list.
 */
export function newestFirst(column: AnyColumn): SQL {
  return sql`${column} desc nulls last`;
}
