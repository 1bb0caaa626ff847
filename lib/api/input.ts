import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Reads the raw body bytes, refusing more than `limit` without buffering the excess. */
export async function readBody(req: Request, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!req.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number) {
  return new AppError("payload_too_large", `The request body is larger than ${Math.floor(limit / 1024)} KiB.`);
}

export const MAX_JSON_DEPTH = 32;

/**
 * PostgreSQL text cannot hold NUL (U+0000), and no legitimate input needs it or a structure
 * nested dozens of levels deep; both are refused up front (iteratively: depth is the attack).
 */
export function checkJsonShape(value: unknown): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    if (typeof item.value === "string") {
      if (item.value.includes("\u0000")) throw nulError();
      continue;
    }
    if (typeof item.value !== "object" || item.value === null) continue;
    if (item.depth >= MAX_JSON_DEPTH)
      throw new AppError("bad_request", `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    for (const [key, child] of Object.entries(item.value)) {
      if (key.includes("\u0000")) throw nulError();
      stack.push({ value: child, depth: item.depth + 1 });
    }
  }
}

function nulError() {
  return new AppError("validation_failed", "Text must not contain NUL (U+0000) characters.", {
    details: { issues: [{ path: "", code: "invalid_string", message: "contains U+0000" }] },
  });
}

/** Parses a JSON body and validates it; malformed JSON and schema failures both answer 400. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, limit = DEFAULT_BODY_LIMIT): Promise<z.output<S>> {
  const raw = await readBody(req, limit);
  let data: unknown;
  try {
    data = raw.length === 0 ? {} : JSON.parse(raw.toString("utf8"));
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
  checkJsonShape(data);
  return schema.parse(data);
}

/** Validates the query string; repeated keys keep their last value. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams.entries());
  checkJsonShape(params);
  return schema.parse(params);
}
