import { describe, expect, it } from "vitest";
import { serializeError } from "@/lib/logger";

describe("serializeError", () => {
  it("drops the bound parameters Drizzle appends to a failed query, keeping the SQL and the cause", () => {
    const error = new Error(
      'Failed query: insert into "messages" ("text") values ($1)\nparams: my secret message,EAAG-token-value',
    );
    error.stack = `${error.message}\n    at insert (db.js:1:1)`;
    const serialized = serializeError(Object.assign(error, { cause: new Error("duplicate key") }));
    expect(JSON.stringify(serialized)).not.toContain("my secret message");
    expect(JSON.stringify(serialized)).not.toContain("EAAG-token-value");
    expect(serialized.message).toContain('insert into "messages"');
    expect(serialized.stack).toContain("at insert");
  });
});
