import "server-only";
import type { Platform } from "@/db/schema/enums";
import type { NormalizedEntry, ParseResult } from "@/lib/webhooks/events";
import { childPath, describeType, errorMessage, has, isRecord, quoted, type Issue } from "@/lib/webhooks/parse/common";
import { INSTAGRAM_OBJECT, parseInstagramEntry } from "@/lib/webhooks/parse/instagram";
import { MESSENGER_OBJECT, parseMessengerEntry } from "@/lib/webhooks/parse/messenger";
import { WHATSAPP_OBJECT, parseWhatsAppEntry } from "@/lib/webhooks/parse/whatsapp";

// The `object` Meta puts on each endpoint's notifications. Instagram messaging arrives as "instagram" even when
// the app reaches the account through its linked Page (see instagram.ts), so every platform has exactly one.
const expectedObject: Record<Platform, string> = {
  messenger: MESSENGER_OBJECT,
  instagram: INSTAGRAM_OBJECT,
  whatsapp: WHATSAPP_OBJECT,
};

/**
 * Turns the body Meta POSTed to /api/webhooks/{platform} into normalized entries. Never throws: whatever it
 * cannot read is listed in `rejected` (with a JSON path), whatever it reads but does not act on in `ignored`,
 * and one bad item never costs the other items or entries their events.
 */
export function parseWebhook(platform: Platform, body: unknown): ParseResult {
  try {
    return parseBody(platform, body);
  } catch (error) {
    return { object: null, entries: [], rejected: [{ path: "$", reason: `parser failed: ${errorMessage(error)}` }] };
  }
}

function parseBody(platform: Platform, body: unknown): ParseResult {
  if (!isRecord(body)) {
    return {
      object: null,
      entries: [],
      rejected: [{ path: "$", reason: `body is ${describeType(body)}, expected a JSON object` }],
    };
  }
  const object = has(body, "object") && typeof body.object === "string" ? body.object : null;
  const expected = expectedObject[platform];
  if (object !== expected) {
    const got = object === null ? (has(body, "object") ? describeType(body.object) : "missing") : quoted(object);
    return {
      object,
      entries: [],
      rejected: [{ path: "object", reason: `object is ${got}; the ${platform} endpoint only accepts "${expected}"` }],
    };
  }
  if (!Array.isArray(body.entry)) {
    return {
      object,
      entries: [],
      rejected: [{ path: "entry", reason: `entry is ${describeType(body.entry)}, expected an array` }],
    };
  }

  const entries: NormalizedEntry[] = [];
  const rejected: Issue[] = [];
  const list = body.entry;
  // Index loop so holes of a sparse array are rejected rather than skipped.
  for (let index = 0; index < list.length; index += 1) {
    const path = childPath("entry", index);
    try {
      if (platform === "whatsapp") {
        const result = parseWhatsAppEntry(list[index], path);
        entries.push(...result.entries);
        rejected.push(...result.rejected);
      } else {
        const result = platform === "messenger" ? parseMessengerEntry(list[index], path) : parseInstagramEntry(list[index], path);
        if ("entry" in result) entries.push(result.entry);
        else rejected.push(result.rejected);
      }
    } catch (error) {
      rejected.push({ path, reason: `parser failed on this entry: ${errorMessage(error)}` });
    }
  }
  return { object, entries, rejected };
}
