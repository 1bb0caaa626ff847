import { describe, expect, it } from "vitest";
import { parseSeedArgs, SEED_DEFAULTS } from "./load-seed-args";

describe("parseSeedArgs", () => {
  it("defaults to the issue's scale: a million messages in 20 000 conversations", () => {
    expect(parseSeedArgs([])).toEqual({ ...SEED_DEFAULTS, password: undefined, rollup: true });
  });

  it("takes sizes with underscores as people write them", () => {
    expect(parseSeedArgs(["--messages", "100_000", "--conversations", "2000"])).toMatchObject({
      messages: 100_000,
      conversations: 2_000,
    });
  });

  it("names the bad option", () => {
    expect(() => parseSeedArgs(["--messages", "lots"])).toThrow(/--messages must be a positive integer/);
    expect(() => parseSeedArgs(["--messages", "10", "--conversations", "10"])).toThrow(/twice --conversations/);
    expect(() => parseSeedArgs(["--days", "400"])).toThrow(/--days/);
    expect(() => parseSeedArgs(["--bogus"])).toThrow();
  });
});
