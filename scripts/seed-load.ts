// npm run seed:load — fills one account's inbox with a large, realistic history for benchmarks and
// for trying the UI at scale: by default 1 000 000 messages in 20 000 conversations over 120 days,
// written in bulk by PostgreSQL (see scripts/lib/load-seed.ts). Targets the database `npm run dev`
// uses unless DATABASE_URL is set; the account is created if --password is given.
import { parseSeedArgs } from "./lib/load-seed-args";
import { runLoadSeed } from "./lib/load-seed-run";
import { commandEnv } from "./lib/stack";

const say = (line: string) => process.stdout.write(`seed:load │ ${line}\n`);

try {
  const args = parseSeedArgs(process.argv.slice(2));
  const env = commandEnv(process.env.NODE_ENV === "production" ? "production" : "development");
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL could not be determined");
  say(
    `${args.messages.toLocaleString("en")} messages in ${args.conversations.toLocaleString("en")} conversations over ${args.days} days for ${args.email}`,
  );
  const summary = await runLoadSeed(env.DATABASE_URL, args, say);
  const { write, settle, rollup } = summary.seconds;
  say(
    `done: written in ${write.toFixed(1)} s, vacuum/analyze ${settle.toFixed(1)} s, analytics roll-up ${rollup.toFixed(1)} s (workspace ${summary.workspaceId})`,
  );
} catch (error) {
  process.stderr.write(`seed:load failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
