import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Platform } from "@/db/schema/enums";
import { parseWebhook } from "@/lib/webhooks/parse/index";
import { fixturePayload, type FixturePlatform } from "@/tests/fixtures/webhooks/load";

const fixturesDir = path.join(import.meta.dirname, "../../../tests/fixtures/webhooks");

describe("parseWebhook dispatch", () => {
  it.each([null, [], "page", 42, true, undefined])("rejects a body that is not a JSON object (%j) without throwing", (body) => {
    const result = parseWebhook("messenger", body);
    expect(result.object).toBeNull();
    expect(result.entries).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.path).toBe("$");
  });

  it.each([
    [
      "messenger",
      "whatsapp",
      "whatsapp_business_account",
      'object is "whatsapp_business_account"; the messenger endpoint only accepts "page"',
    ],
    [
      "whatsapp",
      "instagram",
      "instagram",
      'object is "instagram"; the whatsapp endpoint only accepts "whatsapp_business_account"',
    ],
    ["messenger", "instagram", "instagram", 'object is "instagram"; the messenger endpoint only accepts "page"'],
  ] as const)(
    "refuses a %s endpoint payload whose object belongs to %s, without reading its entries",
    (platform, fixturePlatform, object, reason) => {
      const result = parseWebhook(platform, fixturePayload(fixturePlatform, "text"));
      expect(result).toStrictEqual({ object, entries: [], rejected: [{ path: "object", reason }] });
    },
  );

  it("rejects a payload without an object", () => {
    expect(parseWebhook("instagram", { entry: [] })).toStrictEqual({
      object: null,
      entries: [],
      rejected: [{ path: "object", reason: 'object is missing; the instagram endpoint only accepts "instagram"' }],
    });
  });

  it("rejects a payload whose entry is not an array", () => {
    expect(parseWebhook("whatsapp", { object: "whatsapp_business_account", entry: { id: "1" } })).toStrictEqual({
      object: "whatsapp_business_account",
      entries: [],
      rejected: [{ path: "entry", reason: "entry is object, expected an array" }],
    });
  });

  it("accepts an empty entry list as nothing to do", () => {
    expect(parseWebhook("messenger", { object: "page", entry: [] })).toStrictEqual({ object: "page", entries: [], rejected: [] });
  });

  it.each(["messenger", "instagram", "whatsapp"] as const)("tags every %s entry with the endpoint's platform", (platform) => {
    const result = parseWebhook(platform, fixturePayload(platform, "text"));
    expect(result.entries.map((entry) => entry.platform)).toEqual([platform]);
  });
});

describe("parseWebhook on pathological input", () => {
  it("handles a deeply nested value and an object with many unknown keys without overflowing or flooding the log", () => {
    let deep: unknown = "bottom";
    for (let depth = 0; depth < 100_000; depth += 1) deep = { next: deep };
    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, index) => [`field_${index}`, index]));
    const result = parseWebhook("messenger", {
      object: "page",
      entry: [
        {
          id: "106100000000001",
          messaging: [
            {
              sender: { id: "7000000000000001" },
              recipient: { id: "106100000000001" },
              timestamp: 1_793_610_000_000,
              message: { mid: "m_deep", text: "x", referral: { deep } },
              ...wide,
            },
          ],
        },
      ],
    });
    const entry = result.entries[0];
    expect(entry?.events).toHaveLength(1);
    // 20 named unknown fields and one line for the rest.
    expect(entry?.ignored).toHaveLength(21);
    expect(entry?.ignored[20]).toEqual({
      path: "entry[0].messaging[0].*",
      reason: "49980 more unknown fields, not used by the inbox",
    });
  });
});

describe("parseWebhook keeps text byte for byte", () => {
  // The fixture file is read raw here (not through the loader) so the comparison is against the bytes on disk.
  function rawText(platform: FixturePlatform): string {
    const file = JSON.parse(readFileSync(path.join(fixturesDir, platform, "text-unicode.json"), "utf8")) as {
      payload: { entry: Record<string, unknown>[] };
    };
    const entry = file.payload.entry[0] as Record<string, unknown>;
    if (platform === "whatsapp") {
      const changes = entry.changes as { value: { messages: { text: { body: string } }[] } }[];
      return changes[0]?.value.messages[0]?.text.body ?? "";
    }
    const messaging = entry.messaging as { message: { text: string } }[];
    return messaging[0]?.message.text ?? "";
  }

  function parsedText(platform: Platform, payload: unknown): string | null {
    const event = parseWebhook(platform, payload).entries[0]?.events[0];
    return event?.kind === "message" ? event.message.text : null;
  }

  it.each(["messenger", "instagram", "whatsapp"] as const)(
    "returns the %s fixture's emoji, RTL, HTML, control-character and padded text with identical UTF-8 bytes",
    (platform) => {
      const original = rawText(platform);
      const text = parsedText(platform, fixturePayload(platform, "text-unicode"));
      expect(text).toBe(original);
      expect(Buffer.from(text ?? "", "utf8").equals(Buffer.from(original, "utf8"))).toBe(true);
      // The properties the fixture exists for, checked on the output rather than assumed.
      expect(text).toContain("\u{1F44D}\u{1F3FD}");
      expect(text).toContain("\u{1D11E}");
      expect(text).toContain("مرحبا");
      expect(text).toContain("שלום");
      expect(text).toContain("<script>alert('x')</script>");
      expect(text).toContain("\u0007");
      expect(text?.startsWith("  ")).toBe(true);
      expect(text?.endsWith("  ")).toBe(true);
    },
  );

  it("does not normalize Unicode, line endings or lone surrogates", () => {
    const text = "e\u0301 vs \u00e9\r\nline\u2028sep \uD800 \u202Eevil\u202C";
    const result = parseWebhook("messenger", {
      object: "page",
      entry: [
        {
          id: "106100000000001",
          messaging: [
            {
              sender: { id: "7000000000000001" },
              recipient: { id: "106100000000001" },
              timestamp: 1_793_610_000_000,
              message: { mid: "m_n", text },
            },
          ],
        },
      ],
    });
    const event = result.entries[0]?.events[0];
    expect(event?.kind === "message" ? event.message.text : null).toBe(text);
  });

  it("keeps a WhatsApp caption byte for byte", () => {
    const caption = "\u00a0 Preço: 12 € <i>só hoje</i>\n\u{1F525} ";
    const result = parseWebhook("whatsapp", {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "102200000000001",
          changes: [
            {
              field: "messages",
              value: {
                metadata: { phone_number_id: "109100000000001" },
                messages: [
                  { from: "15550200001", id: "wamid.c", timestamp: "1793800000", type: "image", image: { id: "1", caption } },
                ],
              },
            },
          ],
        },
      ],
    });
    const event = result.entries[0]?.events[0];
    expect(event?.kind === "message" ? event.message.text : null).toBe(caption);
  });
});
