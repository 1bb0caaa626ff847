import { parseArgs } from "node:util";

// `npm run seed:load -- --messages 1000000 --conversations 20000 --days 120 --email … --password …`

export interface SeedArgs {
  messages: number;
  conversations: number;
  days: number;
  email: string;
  /** Only needed when no account with `email` exists yet: it is then created with this password. */
  password: string | undefined;
  /** Skip the analytics roll-up of the seeded days (analytics then compute every day live). */
  rollup: boolean;
}

export const SEED_DEFAULTS = { messages: 1_000_000, conversations: 20_000, days: 120, email: "demo@chats.local" } as const;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value.replace(/_/g, ""));
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive integer, not "${value}"`);
  return number;
}

export function parseSeedArgs(argv: string[]): SeedArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: "string" },
      conversations: { type: "string" },
      days: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      "no-rollup": { type: "boolean" },
    },
    strict: true,
  });
  const args: SeedArgs = {
    messages: positiveInteger("messages", values.messages, SEED_DEFAULTS.messages),
    conversations: positiveInteger("conversations", values.conversations, SEED_DEFAULTS.conversations),
    days: positiveInteger("days", values.days, SEED_DEFAULTS.days),
    email: values.email ?? SEED_DEFAULTS.email,
    password: values.password,
    rollup: !values["no-rollup"],
  };
  if (args.messages > 10_000_000) throw new Error("--messages is capped at 10 000 000 (a bounded load, not a disk filler)");
  if (args.messages < 2 * args.conversations) throw new Error("--messages must be at least twice --conversations");
  if (args.days > 366) throw new Error("--days is at most 366");
  return args;
}
