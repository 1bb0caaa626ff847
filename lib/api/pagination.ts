import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";

// Lists are keyset-paginated: the cursor is the (opaque to clients) position of the last row,
// so pages stay consistent while rows keep arriving at the top.

export const limitSchema = z.coerce
  .number({ error: "limit must be a number between 1 and 100." })
  .int("limit must be a whole number.")
  .min(1, "limit must be between 1 and 100.")
  .max(100, "limit must be between 1 and 100.")
  .default(50);

export const cursorParam = z.string().max(500).optional();

export function encodeCursor(position: Record<string, string | number | null>): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** Decodes a cursor into the shape `schema` expects; anything else is a 400, never a 500. */
export function decodeCursor<S extends z.ZodType>(cursor: string | undefined, schema: S): z.output<S> | undefined {
  if (!cursor) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new AppError("bad_request", "The cursor is not one this API gave out.", { details: { field: "cursor" } });
  }
}

/** Splits the extra row fetched to learn whether another page exists. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
