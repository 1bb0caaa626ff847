import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySignature, verifySubscription } from "@/lib/webhooks/verify";

const secret = "app-secret-0123456789";
// Meta's serialization: non-ASCII escaped as \uXXXX (emoji as a surrogate pair) and "/" as "\/".
const metaBody = Buffer.from(
  '{"object":"page","entry":[{"messaging":[{"message":{"text":"Caf\\u00e9 \\ud83d\\ude00 https:\\/\\/x.io"}}]}]}',
);
const sign = (body: Buffer, key = secret) => `sha256=${createHmac("sha256", key).update(body).digest("hex")}`;

describe("verifySignature", () => {
  it("accepts the signature over the exact escaped bytes Meta sent", () => {
    expect(verifySignature(metaBody, sign(metaBody), [secret])).toBe(true);
    expect(JSON.parse(metaBody.toString()).entry[0].messaging[0].message.text).toBe("Café 😀 https://x.io");
  });

  it("rejects the same content re-serialized, as verifying a parsed body would", () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(metaBody.toString())));
    expect(reserialized.equals(metaBody)).toBe(false);
    expect(verifySignature(reserialized, sign(metaBody), [secret])).toBe(false);
  });

  it("rejects a wrong secret, a missing header, the legacy sha1 header and garbage", () => {
    expect(verifySignature(metaBody, sign(metaBody, "another-secret-123"), [secret])).toBe(false);
    expect(verifySignature(metaBody, null, [secret])).toBe(false);
    expect(verifySignature(metaBody, `sha1=${createHmac("sha1", secret).update(metaBody).digest("hex")}`, [secret])).toBe(false);
    expect(verifySignature(metaBody, "sha256=zz", [secret])).toBe(false);
  });

  it("accepts any of several secrets and upper-case hex", () => {
    const header = sign(metaBody, "instagram-secret-01234").toUpperCase().replace("SHA256=", "sha256=");
    expect(verifySignature(metaBody, header, [secret, "instagram-secret-01234"])).toBe(true);
  });
});

describe("verifySubscription", () => {
  it("echoes the challenge for our token only", () => {
    const params = (token: string, mode = "subscribe") =>
      new URLSearchParams({ "hub.mode": mode, "hub.verify_token": token, "hub.challenge": "1158201444" });
    expect(verifySubscription(params("tok"), "tok")).toBe("1158201444");
    expect(verifySubscription(params("nope"), "tok")).toBeNull();
    expect(verifySubscription(params("tok", "unsubscribe"), "tok")).toBeNull();
  });
});
