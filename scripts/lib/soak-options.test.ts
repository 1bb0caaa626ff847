import { describe, expect, it } from "vitest";
import { parseSoakArgs, SOAK_DEFAULTS, SOAK_LIMITS, SoakUsageError } from "./soak-options";

describe("parseSoakArgs", () => {
  it("runs ten minutes at a moderate rate when nothing is asked", () => {
    expect(parseSoakArgs([])).toEqual(SOAK_DEFAULTS);
    expect(SOAK_DEFAULTS).toEqual({ minutes: 10, rate: 50 });
  });

  it("takes --minutes and --rate, fractions of a minute included", () => {
    expect(parseSoakArgs(["--minutes", "0.5", "--rate=120"])).toEqual({ minutes: 0.5, rate: 120 });
  });

  it("refuses what would be a flood or never end, naming the option", () => {
    expect(() => parseSoakArgs(["--rate", String(SOAK_LIMITS.maxRate + 1)])).toThrow(/--rate must be .* at most 500/);
    expect(() => parseSoakArgs(["--minutes", String(SOAK_LIMITS.maxMinutes + 1)])).toThrow(/--minutes/);
    expect(() => parseSoakArgs(["--minutes", "0"])).toThrow(SoakUsageError);
    expect(() => parseSoakArgs(["--rate", "fast"])).toThrow(SoakUsageError);
  });

  it("refuses options it does not know instead of ignoring a typo", () => {
    expect(() => parseSoakArgs(["--minute", "5"])).toThrow(SoakUsageError);
  });
});
