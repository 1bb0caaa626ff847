import "server-only";
import { z } from "zod";

// Helpers shared by the three platform parsers. Everything here must be total: the parsers promise never
// to throw, whatever arrives, so nothing below may call String()/template literals on an unknown value
// (a null-prototype object or a symbol would throw) or JSON.stringify input (BigInt, cycles).

export interface Issue {
  reason: string;
  path: string;
}

/** What one Meta list item (a messaging item, a WhatsApp message or status) turned into: exactly one outcome. */
export type ItemOutcome<E> = { event: E } | { ignored: Issue } | { rejected: Issue };

export function childPath(parent: string, key: string | number): string {
  return typeof key === "number" ? `${parent}[${key}]` : parent === "" ? key : `${parent}.${key}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own, defined property: Meta omits absent fields, and a key inherited from Object.prototype is not a field. */
export function has(record: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key) && record[key] !== undefined;
}

/** A value from the payload quoted in a reason: bounded, so a hostile payload cannot bloat the error log. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** A short, throw-free description of a value's type for rejection reasons (never the value itself). */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Keys of an object for a reason string, bounded so a hostile payload cannot bloat the error log. */
export function describeKeys(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  const shown = keys.slice(0, 8).map((key) => (key.length > 40 ? `${key.slice(0, 40)}…` : key));
  return keys.length > shown.length ? `${shown.join(", ")}, … (${keys.length} keys)` : shown.join(", ");
}

/** Path of an arbitrary (possibly hostile) key: dotted when it looks like an identifier, quoted otherwise. */
export function fieldPath(parent: string, key: string): string {
  const shown = key.length > 100 ? `${key.slice(0, 100)}…` : key;
  return /^[A-Za-z_$][\w$]*$/.test(shown) ? childPath(parent, shown) : `${parent}[${JSON.stringify(shown)}]`;
}

const MAX_UNKNOWN_FIELDS = 20;

/**
 * Fields Meta sent that this parser does not know: kept in the raw event, and listed as ignored so a field
 * Meta adds shows up in the log instead of passing unnoticed. Bounded per object against hostile payloads.
 */
export function unknownFields(record: Record<string, unknown>, path: string, known: ReadonlySet<string>): Issue[] {
  const unknown = Object.keys(record).filter((key) => !known.has(key) && record[key] !== undefined);
  const issues = unknown
    .slice(0, MAX_UNKNOWN_FIELDS)
    .map((key) => ({ path: fieldPath(path, key), reason: "unknown field, not used by the inbox (kept in the raw event)" }));
  if (unknown.length > MAX_UNKNOWN_FIELDS) {
    issues.push({
      path: `${path}.*`,
      reason: `${unknown.length - MAX_UNKNOWN_FIELDS} more unknown fields, not used by the inbox`,
    });
  }
  return issues;
}

function pathOf(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) {
    path = typeof segment === "number" ? childPath(path, segment) : childPath(path, String(segment));
  }
  return path;
}

/**
 * One rejection for a whole item: the item's own path (so every item has exactly one outcome), with each zod
 * issue and its full sub-path in the reason. `detailBase` is where the zod-validated value sits in the body.
 */
export function zodIssue(path: string, what: string, error: z.ZodError, detailBase: string = path): Issue {
  const details = error.issues.slice(0, 5).map((issue) => {
    const at = pathOf(detailBase, issue.path);
    return `${at}: ${issue.message}`;
  });
  const more = error.issues.length > details.length ? `; … ${error.issues.length - details.length} more` : "";
  return { path, reason: `${what} does not match Meta's documented shape (${details.join("; ")}${more})` };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return describeType(error);
}

// Largest instant a JS Date can hold, in milliseconds.
const MAX_DATE_MS = 8_640_000_000_000_000;

/**
 * Messenger and Instagram timestamps (`timestamp`, `watermark`) are Unix epoch MILLISECONDS as JSON numbers.
 * Strings are refused: Meta sends numbers, and the App Dashboard's "Test" samples carry seconds as strings,
 * which read as milliseconds would land in 1970.
 */
export const epochMilliseconds = z
  .number()
  .int()
  .min(0)
  .max(MAX_DATE_MS)
  .transform((ms) => new Date(ms));

/**
 * WhatsApp Cloud API timestamps are Unix epoch SECONDS sent as decimal strings ("1793610000"). Numbers are
 * accepted too (some relays re-serialize them); anything else is refused.
 */
export const epochSecondsString = z
  .union([z.string().regex(/^\d{1,13}$/, "expected Unix seconds as a string of digits"), z.number().int().min(0)])
  .transform((value) => (typeof value === "string" ? Number(value) : value))
  .refine((seconds) => seconds * 1000 <= MAX_DATE_MS, "timestamp out of range")
  .transform((seconds) => new Date(seconds * 1000));

/** Meta sometimes sends an empty string where it means "absent" (WhatsApp `wa_id` for username-only users). */
export function nonEmpty(value: string | null | undefined): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** A payload object with only the keys that carry something, or null when none does. */
export function compactPayload(entries: Record<string, unknown>): Record<string, unknown> | null {
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) payload[key] = value;
  }
  return Object.keys(payload).length > 0 ? payload : null;
}

/** Last line of defence for "never throw": an unexpected exception becomes a rejection of that one item. */
export function guarded<T>(parse: () => ItemOutcome<T>, path: string): ItemOutcome<T> {
  try {
    return parse();
  } catch (error) {
    return { rejected: { path, reason: `parser failed on this item: ${errorMessage(error)}` } };
  }
}
