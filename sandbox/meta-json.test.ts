import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { metaJsonStringify, signatureHeaders } from "./meta-json";

describe("metaJsonStringify", () => {
  it("escapes accents, emoji (as surrogate pairs) and slashes the way Meta does", () => {
    const text = metaJsonStringify({ text: "Café déjà vu 😀 https://acme.example/menu" });
    expect(text).toBe('{"text":"Caf\\u00e9 d\\u00e9j\\u00e0 vu \\ud83d\\ude00 https:\\/\\/acme.example\\/menu"}');
  });

  it("writes pure ASCII that parses back to the same value, whatever the input", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = metaJsonStringify(value);
        expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("keeps right-to-left text and lone surrogates round-trippable", () => {
    const value = { he: "שלום", ar: "مرحبا", lone: "\ud800x" };
    expect(JSON.parse(metaJsonStringify(value))).toEqual(value);
    expect(metaJsonStringify(value)).toContain("\\u05e9");
  });
});

describe("signatureHeaders", () => {
  it("signs the exact bytes with HMAC-SHA256 and the legacy SHA-1", () => {
    const body = Buffer.from(metaJsonStringify({ a: "é" }));
    const headers = signatureHeaders(body, "secret");
    expect(headers["x-hub-signature-256"]).toBe(`sha256=${createHmac("sha256", "secret").update(body).digest("hex")}`);
    expect(headers["x-hub-signature"]).toBe(`sha1=${createHmac("sha1", "secret").update(body).digest("hex")}`);
  });
});
