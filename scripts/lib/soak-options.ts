import { parseArgs } from "node:util";

// What `npm run soak` runs: how long and how hard. Bounded, so a typo cannot turn it into a flood:
// the sandbox's load runner caps a single burst too, and only ever sends to this machine.

export interface SoakOptions {
  minutes: number;
  /** Signed webhooks per second, steady for the whole run. */
  rate: number;
}

export const SOAK_DEFAULTS: SoakOptions = { minutes: 10, rate: 50 };
export const SOAK_LIMITS = { maxMinutes: 120, maxRate: 500 } as const;

/** Ports and data directory of the soak stack: clear of dev (300x), e2e (310x) and bench (320x). */
export const SOAK_PORTS = { app: 3300, realtime: 3301, sandbox: 3302, postgres: 54359 } as const;
export const SOAK_DATA_DIR = ".data/soak";

export class SoakUsageError extends Error {
  override name = "SoakUsageError";
}

function numberOption(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new SoakUsageError(`--${name} must be a number above 0 and at most ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

export function parseSoakArgs(argv: string[]): SoakOptions {
  let values: { minutes?: string; rate?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { minutes: { type: "string" }, rate: { type: "string" } }, strict: true }));
  } catch (error) {
    throw new SoakUsageError((error as Error).message);
  }
  return {
    minutes: numberOption("minutes", values.minutes, SOAK_DEFAULTS.minutes, SOAK_LIMITS.maxMinutes),
    rate: numberOption("rate", values.rate, SOAK_DEFAULTS.rate, SOAK_LIMITS.maxRate),
  };
}
