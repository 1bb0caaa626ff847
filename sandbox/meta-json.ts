import { createHmac } from "node:crypto";

// Meta serializes webhook bodies like PHP's json_encode: every non-ASCII UTF-16 unit becomes a
// lowercase \uXXXX escape (so emoji become surrogate pairs) and "/" becomes "\/". The signature covers
// those exact bytes, which is why receivers must verify the raw body and never a re-serialization.

const needsEscape = /[\u0080-\uffff/]/g;

/** JSON text as Meta's webhook sender writes it: pure ASCII, `\uXXXX` escapes, `\/`. */
export function metaJsonStringify(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError("metaJsonStringify: value is not serializable to JSON");
  return json.replace(needsEscape, (ch) => (ch === "/" ? "\\/" : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** The two signature headers Meta sends with every webhook POST, computed over the raw bytes. */
export function signatureHeaders(body: Buffer, secret: string): { "x-hub-signature-256": string; "x-hub-signature": string } {
  return {
    "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    "x-hub-signature": `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
  };
}
