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

/** Parses a JSON body and validates it; malformed JSON and schema failures both answer 400. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, limit = DEFAULT_BODY_LIMIT): Promise<z.output<S>> {
  const raw = await readBody(req, limit);
  let data: unknown;
  try {
    data = raw.length === 0 ? {} : JSON.parse(raw.toString("utf8"));
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
  return schema.parse(data);
}

/** Validates the query string; repeated keys keep their last value. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = new URL(req.url).searchParams;
  return schema.parse(Object.fromEntries(params.entries()));
}
