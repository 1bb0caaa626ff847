import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptToken, encryptToken, needsReencryption, TokenDecryptionError } from "@/lib/platforms/crypto";

const oldKey = randomBytes(32);
const newKey = randomBytes(32);

describe("token encryption", () => {
  it("round-trips a token and never contains it in clear", () => {
    const token = "EAAGm0PX4ZCpsBAPage-Token-ÄÖÜ";
    const sealed = encryptToken(token, [oldKey]);
    expect(sealed).not.toContain("EAAG");
    expect(decryptToken(sealed, [oldKey])).toBe(token);
    expect(encryptToken(token, [oldKey])).not.toBe(sealed);
  });

  it("decrypts with any key of the ring and encrypts with the first", () => {
    const sealedOld = encryptToken("page-token", [oldKey]);
    expect(decryptToken(sealedOld, [newKey, oldKey])).toBe("page-token");
    expect(needsReencryption(sealedOld, [newKey, oldKey])).toBe(true);
    const sealedNew = encryptToken("page-token", [newKey, oldKey]);
    expect(needsReencryption(sealedNew, [newKey, oldKey])).toBe(false);
    expect(decryptToken(sealedNew, [newKey])).toBe("page-token");
  });

  it("refuses tampered ciphertexts and unknown keys", () => {
    const sealed = encryptToken("page-token", [oldKey]);
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[4] ?? "", "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    parts[4] = flipped.toString("base64url");
    expect(() => decryptToken(parts.join("."), [oldKey])).toThrow(TokenDecryptionError);
    expect(() => decryptToken(sealed, [newKey])).toThrow(/no key with id/);
    expect(() => decryptToken("plain-token", [oldKey])).toThrow(TokenDecryptionError);
  });
});
