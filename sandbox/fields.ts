import { GraphError, graphErrors } from "./graph-error";

// Graph API field expansion: `fields=id,name,instagram_business_account{id,username},messages.limit(5){message}`
// (developers.facebook.com/docs/graph-api/guides/field-expansion).

export interface FieldSpec {
  name: string;
  limit: number | null;
  children: FieldSpec[] | null;
}

export function parseFields(input: string | undefined): FieldSpec[] | null {
  if (input === undefined || input.trim() === "") return null;
  let pos = 0;
  const fail = (): never => {
    throw new GraphError(400, {
      message: `(#100) Syntax error "Expected end of string instead of "${input.slice(pos, pos + 1)}"." at character ${pos}: ${input}`,
      code: 100,
    });
  };
  const list = (): FieldSpec[] => {
    const out: FieldSpec[] = [];
    for (;;) {
      while (input[pos] === " ") pos++;
      const match = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(input.slice(pos));
      if (!match) fail();
      const spec: FieldSpec = { name: match?.[0] ?? "", limit: null, children: null };
      pos += spec.name.length;
      while (input[pos] === ".") {
        const modifier = /^\.([a-z_]+)\(([^)]*)\)/.exec(input.slice(pos));
        if (!modifier) fail();
        if (modifier?.[1] === "limit") spec.limit = Math.max(0, Number.parseInt(modifier[2] ?? "", 10) || 0);
        pos += modifier?.[0].length ?? 0;
      }
      if (input[pos] === "{") {
        pos++;
        spec.children = list();
        if (input[pos] !== "}") fail();
        pos++;
      }
      out.push(spec);
      while (input[pos] === " ") pos++;
      if (input[pos] !== ",") return out;
      pos++;
    }
  };
  const specs = list();
  if (pos !== input.length) fail();
  return specs;
}

export const defaultSpecs = (names: string[]): FieldSpec[] => names.map((name) => ({ name, limit: null, children: null }));

export type Resolver = (spec: FieldSpec) => unknown;

/** Builds a node with the requested fields (or the defaults); unknown fields are Meta's code 100 error. */
export function project(
  nodeType: string,
  resolvers: Record<string, Resolver>,
  requested: FieldSpec[] | null,
  defaults: string[],
): Record<string, unknown> {
  const specs = requested ?? defaultSpecs(defaults);
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const resolve = resolvers[spec.name];
    if (!resolve) throw graphErrors.nonexistingField(spec.name, nodeType);
    const value = resolve(spec);
    if (value !== undefined) out[spec.name] = value;
  }
  // Graph always returns the node id, even when it was not asked for.
  if (!("id" in out) && resolvers.id) out.id = resolvers.id({ name: "id", limit: null, children: null });
  return out;
}

/** Graph's timestamp format for created_time / updated_time: 2024-05-01T12:00:00+0000. */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");
}

const encodeCursor = (index: number) => Buffer.from(`sandbox:${index}`).toString("base64url");
function decodeCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const match = /^sandbox:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw graphErrors.invalidParameter("Invalid cursor");
  return Number(match[1]);
}

export interface PageRequest {
  limit?: string | number | null;
  after?: string;
  before?: string;
}

/**
 * Cursor pagination (developers.facebook.com/docs/graph-api/results): `paging.cursors.before/after` and
 * absolute `next`/`previous` URLs built by `link` with the cursor parameter replaced.
 */
export function paginate<T>(
  items: T[],
  request: PageRequest,
  link: ((params: Record<string, string>) => string) | null,
  defaultLimit = 25,
) {
  const limitValue =
    request.limit === undefined || request.limit === null || request.limit === "" ? defaultLimit : Number(request.limit);
  if (!Number.isInteger(limitValue) || limitValue < 0)
    throw graphErrors.invalidParameter("Param limit must be a non-negative integer");
  const limit = Math.min(limitValue, 100);
  const after = decodeCursor(request.after);
  const before = decodeCursor(request.before);
  let start = after !== null ? after + 1 : 0;
  let end = Math.min(items.length, start + limit);
  if (before !== null && after === null) {
    end = Math.min(before, items.length);
    start = Math.max(0, end - limit);
  }
  const data = items.slice(start, end);
  if (data.length === 0) return { data };
  const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(end - 1) } };
  if (link && end < items.length) paging.next = link({ limit: String(limit), after: encodeCursor(end - 1) });
  if (link && start > 0) paging.previous = link({ limit: String(limit), before: encodeCursor(start) });
  return { data, paging };
}

export function serializeFields(specs: FieldSpec[]): string {
  return specs
    .map(
      (spec) =>
        `${spec.name}${spec.limit !== null ? `.limit(${spec.limit})` : ""}${spec.children ? `{${serializeFields(spec.children)}}` : ""}`,
    )
    .join(",");
}
