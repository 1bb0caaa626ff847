import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { messageTypeEnum, type Platform } from "@/db/schema/enums";
import type { NormalizedEvent, ParseResult } from "@/lib/webhooks/events";
import { parseWebhook } from "@/lib/webhooks/parse/index";
import { fixturePayload, listFixtures } from "@/tests/fixtures/webhooks/load";

// Property tests: whatever Meta (or an attacker with a valid signature, or a bug upstream) sends, the parsers
// return a well-formed ParseResult, never throw, and account for every item of the payload: each messaging
// item / WhatsApp message / status / error becomes exactly one event, one ignored or one rejected entry,
// unless a rejection of something enclosing it (the entry, the change, the whole body) already covers it.

const platforms = ["messenger", "instagram", "whatsapp"] as const satisfies readonly Platform[];
const objects: Record<Platform, string> = { messenger: "page", instagram: "instagram", whatsapp: "whatsapp_business_account" };

// Every exotic value fast-check can build: null prototypes, boxed values, BigInt, sparse arrays, Maps, Dates…
const hostile = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: "binary",
});

// ---------------------------------------------------------------------------------------------------------------
// Well-formedness of the output.

const date = z.date().refine((value) => !Number.isNaN(value.getTime()), "invalid date");
const issue = z.object({ path: z.string(), reason: z.string().min(1) }).strict();
const contact = z
  .object({ externalId: z.string().min(1), name: z.string().nullable().optional(), username: z.string().nullable().optional() })
  .strict();
const attachment = z
  .object({
    type: z.enum([
      "image",
      "video",
      "audio",
      "file",
      "sticker",
      "location",
      "contact",
      "share",
      "story",
      "fallback",
      "unsupported",
    ]),
    url: z.string().nullable(),
    mimeType: z.string().nullable(),
    name: z.string().nullable(),
    mediaId: z.string().nullable().optional(),
    sha256: z.string().nullable().optional(),
    isVoice: z.boolean().optional(),
  })
  .strict();
const payload = z.record(z.string(), z.unknown()).nullable();
const message = z
  .object({
    externalId: z.string().min(1),
    direction: z.enum(["incoming", "outgoing"]),
    type: z.enum(messageTypeEnum.enumValues),
    text: z.string().nullable(),
    payload,
    attachments: z.array(attachment),
    replyToExternalId: z.string().nullable(),
    sentAt: date,
    appId: z.string().nullable().optional(),
    isEcho: z.boolean(),
  })
  .strict()
  .refine((value) => value.isEcho === (value.direction === "outgoing"), "echoes, and only echoes, are outgoing");
const event = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), contact, message }).strict(),
  z
    .object({
      kind: z.literal("status"),
      contact: contact.nullable(),
      messageExternalId: z.string().min(1),
      status: z.enum(["sent", "delivered", "read", "failed"]),
      at: date,
      error: z
        .object({
          code: z.string().min(1),
          message: z.string(),
          platformCode: z.union([z.number(), z.string()]).nullable().optional(),
        })
        .strict()
        .nullable()
        .optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("watermark"),
      contact,
      status: z.enum(["delivered", "read"]),
      watermark: date,
      messageExternalIds: z.array(z.string().min(1)),
      at: date,
    })
    .strict(),
  z
    .object({
      kind: z.literal("reaction"),
      contact,
      messageExternalId: z.string().min(1),
      emoji: z.string().min(1).nullable(),
      from: z.enum(["customer", "business"]),
      at: date,
    })
    .strict(),
  z
    .object({
      kind: z.literal("message_edit"),
      contact,
      messageExternalId: z.string().min(1),
      text: z.string().nullable(),
      at: date,
    })
    .strict(),
  z.object({ kind: z.literal("message_delete"), contact, messageExternalId: z.string().min(1), at: date }).strict(),
  z.object({ kind: z.literal("contact_activity"), contact, at: date, payload }).strict(),
]);

function assertWellFormed(platform: Platform, result: ParseResult): void {
  expect(Object.keys(result).sort()).toEqual(["entries", "object", "rejected"]);
  expect(result.object === null || typeof result.object === "string").toBe(true);
  z.array(issue).parse(result.rejected);
  for (const entry of result.entries) {
    expect(entry.platform).toBe(platform);
    expect(typeof entry.accountExternalId === "string" && entry.accountExternalId.length > 0).toBe(true);
    z.array(event).parse(entry.events);
    z.array(issue).parse(entry.ignored);
    z.array(issue).parse(entry.rejected);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Accounting: every item of the input has exactly one outcome.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The JSON paths of the items the parser must account for one by one. */
function itemPaths(platform: Platform, body: unknown): string[] {
  const paths: string[] = [];
  if (!isRecord(body)) return paths;
  const entries = own(body, "entry");
  if (!Array.isArray(entries)) return paths;
  for (let e = 0; e < entries.length; e += 1) {
    const entry: unknown = entries[e];
    if (!isRecord(entry)) continue;
    if (platform !== "whatsapp") {
      for (const key of ["messaging", "standby"]) {
        const list = own(entry, key);
        if (Array.isArray(list)) for (let j = 0; j < list.length; j += 1) paths.push(`entry[${e}].${key}[${j}]`);
      }
      continue;
    }
    const changes = own(entry, "changes");
    if (!Array.isArray(changes)) continue;
    for (let c = 0; c < changes.length; c += 1) {
      const change: unknown = changes[c];
      if (!isRecord(change)) continue;
      const value = own(change, "value");
      if (!isRecord(value)) continue;
      const lists = own(change, "field") === "smb_message_echoes" ? ["message_echoes"] : ["messages", "statuses", "errors"];
      for (const key of lists) {
        const list = own(value, key);
        if (Array.isArray(list))
          for (let j = 0; j < list.length; j += 1) paths.push(`entry[${e}].changes[${c}].value.${key}[${j}]`);
      }
    }
  }
  return paths;
}

function encloses(outer: string, inner: string): boolean {
  return outer === "$" || outer === "object" || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

function assertAccountedFor(platform: Platform, body: unknown, result: ParseResult): void {
  const issues = [...result.rejected, ...result.entries.flatMap((entry) => [...entry.ignored, ...entry.rejected])];
  const items = itemPaths(platform, body);
  const itemSet = new Set(items);
  const enclosing = issues.filter((candidate) => !itemSet.has(candidate.path));
  const uncovered = items.filter((item) => !enclosing.some((outer) => encloses(outer.path, item)));
  const uncoveredSet = new Set(uncovered);
  const itemIssues = issues.filter((candidate) => itemSet.has(candidate.path));

  // An item never has two outcomes, and an item inside a rejected/ignored container is not parsed at all.
  expect(new Set(itemIssues.map((candidate) => candidate.path)).size).toBe(itemIssues.length);
  for (const candidate of itemIssues) expect(uncoveredSet.has(candidate.path), candidate.path).toBe(true);
  const events = result.entries.reduce((count, entry) => count + entry.events.length, 0);
  expect(events).toBe(uncovered.length - itemIssues.length);
}

function check(platform: Platform, body: unknown, { serializable = false } = {}): ParseResult {
  let result: ParseResult | undefined;
  expect(() => {
    result = parseWebhook(platform, body);
  }).not.toThrow();
  if (result === undefined) throw new Error("parseWebhook returned nothing");
  assertWellFormed(platform, result);
  assertAccountedFor(platform, body, result);
  if (serializable) expect(() => JSON.stringify(result)).not.toThrow();
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations of the real fixtures: drop, replace, retype, truncate, null out, duplicate.

type Container = Record<string, unknown> | unknown[];
type Slot = { parent: Container; key: string | number };

/** Plain JSON containers only: inserted hostile values (boxed strings, cycles) are leaves, not walked. */
function isPlainContainer(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function slots(root: unknown): Slot[] {
  const found: Slot[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown) => {
    if (!isPlainContainer(value) || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) {
        found.push({ parent: value, key: index });
        visit(value[index]);
      }
    } else {
      for (const key of Object.keys(value)) {
        found.push({ parent: value, key });
        visit(value[key]);
      }
    }
  };
  visit(root);
  return found;
}

const mutationKinds = ["delete", "replace", "retype", "truncate", "null", "duplicate", "hostile"] as const;
type Mutation = { kind: (typeof mutationKinds)[number]; at: number; json: unknown; hostile: unknown };

function retyped(value: unknown): unknown {
  if (typeof value === "string") return /^\d+$/.test(value) ? Number(value) : value.length;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : 0;
  if (Array.isArray(value)) return { ...value };
  if (isRecord(value)) return Object.values(value);
  return "";
}

function read(slot: Slot): unknown {
  return Array.isArray(slot.parent) ? slot.parent[slot.key as number] : slot.parent[slot.key as string];
}

function write(slot: Slot, value: unknown): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else slot.parent[slot.key as string] = value;
}

function mutate(payload: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  const copy = structuredClone(payload);
  for (const mutation of mutations) {
    const all = slots(copy);
    if (all.length === 0) break;
    const slot = all[mutation.at % all.length] as Slot;
    const value = read(slot);
    switch (mutation.kind) {
      case "delete":
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else delete slot.parent[slot.key as string];
        break;
      case "replace":
        write(slot, mutation.json);
        break;
      case "hostile":
        write(slot, mutation.hostile);
        break;
      case "retype":
        write(slot, retyped(value));
        break;
      case "truncate":
        if (Array.isArray(value)) value.length = Math.floor(value.length / 2);
        else if (typeof value === "string") write(slot, value.slice(0, Math.floor(value.length / 2)));
        else write(slot, undefined);
        break;
      case "null":
        write(slot, null);
        break;
      case "duplicate":
        if (Array.isArray(value) && value.length > 0) value.push(structuredClone(value[0]));
        else if (Array.isArray(slot.parent)) slot.parent.push(structuredClone(value));
        break;
    }
  }
  return copy;
}

const mutation = fc.record({
  kind: fc.constantFrom(...mutationKinds),
  at: fc.nat(),
  json: fc.jsonValue({ maxDepth: 3 }),
  hostile: fc.anything({ maxDepth: 2, withBigInt: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true }),
});

function fixturesOf(platform: Platform): Record<string, unknown>[] {
  return listFixtures(platform).map((kind) => fixturePayload(platform, kind));
}

// ---------------------------------------------------------------------------------------------------------------

describe.each(platforms)("parseWebhook(%s) on arbitrary input", (platform) => {
  it("never throws and returns a well-formed, fully accounted result for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => void check(platform, body, { serializable: true })),
      { numRuns: 300 },
    );
  });

  it("never throws and returns a well-formed, fully accounted result for any JavaScript value", () => {
    fc.assert(
      fc.property(hostile, (body) => void check(platform, body)),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary entries under the right object", () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 6 }), (entry) => void check(platform, { object: objects[platform], entry })),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary items inside well-formed entries", () => {
    const items = fc.array(
      fc.oneof(
        hostile,
        fc.jsonValue(),
        fc.dictionary(
          fc.constantFrom(
            "message",
            "read",
            "delivery",
            "reaction",
            "postback",
            "referral",
            "optin",
            "message_edit",
            "sender",
            "recipient",
            "timestamp",
          ),
          fc.jsonValue(),
        ),
      ),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(items, items, (first, second) => {
        const body =
          platform === "whatsapp"
            ? {
                object: objects[platform],
                entry: [
                  {
                    id: "102200000000001",
                    changes: [
                      {
                        field: "messages",
                        value: {
                          metadata: { phone_number_id: "109100000000001" },
                          messages: first,
                          statuses: second,
                          contacts: second,
                        },
                      },
                    ],
                  },
                ],
              }
            : { object: objects[platform], entry: [{ id: "106100000000001", messaging: first, standby: second }] };
        check(platform, body);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on real fixtures with random fields dropped, replaced, retyped, truncated, nulled or duplicated", () => {
    const fixtures = fixturesOf(platform);
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 6 }), (fixture, mutations) => {
        check(platform, mutate(fixture, mutations));
      }),
      { numRuns: 1000 },
    );
  });

  it("accounts for every item of a huge batch", () => {
    const base = fixturesOf(platform);
    const body = structuredClone(base.find((fixture) => JSON.stringify(fixture).includes('"text"')) ?? base[0]) as Record<
      string,
      unknown
    >;
    const entry = (body.entry as Record<string, unknown>[])[0] as Record<string, unknown>;
    const list =
      platform === "whatsapp"
        ? ((((entry.changes as Record<string, unknown>[])[0] as Record<string, unknown>).value as Record<string, unknown>)
            .messages as unknown[])
        : (entry.messaging as unknown[]);
    const template = list[0];
    for (let index = 0; index < 20_000; index += 1) list.push(index % 3 === 0 ? { broken: index } : structuredClone(template));
    const result = check(platform, body);
    expect(result.entries[0]?.events.length).toBeGreaterThan(13_000);
  });
});

describe.each(platforms)("parseWebhook(%s) item independence", (platform) => {
  function eventsOf(result: ParseResult): NormalizedEvent[] {
    return result.entries.flatMap((entry) => entry.events);
  }

  function wrap(items: unknown[]): Record<string, unknown> {
    return platform === "whatsapp"
      ? {
          object: objects[platform],
          entry: [
            {
              id: "102200000000001",
              changes: [{ field: "messages", value: { metadata: { phone_number_id: "109100000000001" }, messages: items } }],
            },
          ],
        }
      : { object: objects[platform], entry: [{ id: "106100000000001", messaging: items }] };
  }

  function realItems(): unknown[] {
    return fixturesOf(platform).flatMap((fixture) =>
      (fixture.entry as Record<string, unknown>[]).flatMap((entry) => {
        if (platform !== "whatsapp") return (entry.messaging as unknown[] | undefined) ?? [];
        return ((entry.changes as Record<string, unknown>[]) ?? []).flatMap((change) => {
          const value = change.value as Record<string, unknown>;
          return change.field === "messages" ? ((value.messages as unknown[] | undefined) ?? []) : [];
        });
      }),
    );
  }

  it("gives each item the same events mixed into a batch with garbage as it gives alone", () => {
    const items = realItems();
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...items), hostile, fc.jsonValue()), { maxLength: 12 }), (mixed) => {
        const together = eventsOf(parseWebhook(platform, wrap(mixed)));
        const alone = mixed.flatMap((item) => eventsOf(parseWebhook(platform, wrap([item]))));
        expect(together).toStrictEqual(alone);
      }),
      { numRuns: 300 },
    );
  });

  it("loses none of a fixture's events when malformed items are interleaved with its items", () => {
    const items = realItems();
    const clean = eventsOf(parseWebhook(platform, wrap(items)));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), hostile), { minLength: 1, maxLength: 10 }), (insertions) => {
        const mixed = [...items];
        for (const [at, garbage] of insertions) mixed.splice(at % (mixed.length + 1), 0, garbage);
        const events = eventsOf(parseWebhook(platform, wrap(mixed)));
        for (const expected of clean) expect(events).toContainEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
