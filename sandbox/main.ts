import { z } from "zod";
import { DEFAULT_FIXTURE_PATH, FixtureError, loadFixture, PLATFORMS } from "./fixture";
import { LOAD_KINDS, LoadError, runLoad } from "./load";
import { startSandbox } from "./server";
import { FAST_REDELIVERY_MS } from "./webhooks";

// `npm run sandbox`: the Meta sandbox as its own process. `tsx sandbox/main.ts load …`: scripted load.
// This is the one sandbox module that reads process.env; everything else takes options.

const DEFAULT_APP_ID = "990000000000001";

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
const envSchema = z.object({
  SANDBOX_PORT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().min(0).max(65535).default(3002),
  ),
  SANDBOX_HOST: optional(z.string()),
  SANDBOX_PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  SANDBOX_STATE_FILE: optional(z.string()),
  META_APP_ID: optional(z.string().regex(/^\d+$/, "must be a numeric app id")),
  META_APP_SECRET: z
    .string({ error: "is required (the secret the app verifies webhooks with)" })
    .min(16, "must be at least 16 characters"),
  INSTAGRAM_APP_SECRET: optional(z.string().min(16, "must be at least 16 characters")),
  META_WEBHOOK_VERIFY_TOKEN: optional(z.string().min(1)),
  APP_URL: optional(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
  SANDBOX_FIXTURE: optional(z.string()),
});

function readEnv(): z.output<typeof envSchema> {
  // eslint-disable-next-line no-restricted-properties -- the CLI entry is the sandbox's only reader of the environment.
  const result = envSchema.safeParse(process.env);
  if (result.success) return result.data;
  for (const issue of result.error.issues) console.error(`sandbox: ${String(issue.path[0] ?? "environment")} ${issue.message}`);
  process.exit(1);
}

function argValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function serve(): Promise<void> {
  const env = readEnv();
  const appUrl = env.APP_URL ?? "http://localhost:3000";
  const sandbox = await startSandbox({
    port: env.SANDBOX_PORT,
    host: env.SANDBOX_HOST,
    appId: env.META_APP_ID ?? DEFAULT_APP_ID,
    appSecret: env.META_APP_SECRET,
    instagramAppSecret: env.INSTAGRAM_APP_SECRET,
    verifyToken: env.META_WEBHOOK_VERIFY_TOKEN ?? "sandbox-verify-token",
    webhookBaseUrl: appUrl,
    fixture: env.SANDBOX_FIXTURE ?? DEFAULT_FIXTURE_PATH,
    publicUrl: env.SANDBOX_PUBLIC_URL,
    stateFile: env.SANDBOX_STATE_FILE,
    redelivery: FAST_REDELIVERY_MS,
    log: (line) => console.log(line),
  });
  console.log(`Meta sandbox on ${sandbox.url} (customer's phone at ${sandbox.url}/), webhooks to ${appUrl}/api/webhooks/*`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`sandbox: ${signal}, stopping`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`sandbox: stop failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

async function load(args: string[]): Promise<void> {
  const env = readEnv();
  const platform = z.enum([...PLATFORMS, "mix"]).safeParse(argValue(args, "platform") ?? "mix");
  if (!platform.success) throw new LoadError("--platform must be messenger, instagram, whatsapp or mix");
  const kinds = (argValue(args, "kinds") ?? "text").split(",").filter(Boolean);
  const invalidKind = kinds.find((kind) => !(LOAD_KINDS as readonly string[]).includes(kind));
  if (invalidKind) throw new LoadError(`--kinds: unknown kind "${invalidKind}" (use ${LOAD_KINDS.join(", ")})`);
  const number = (name: string, fallback?: number) => {
    const raw = argValue(args, name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new LoadError(`--${name} must be a number`);
    return value;
  };
  const report = await runLoad({
    webhookBaseUrl: env.APP_URL ?? "http://localhost:3000",
    appSecret: env.META_APP_SECRET,
    instagramAppSecret: env.INSTAGRAM_APP_SECRET,
    fixture: loadFixture(env.SANDBOX_FIXTURE ?? DEFAULT_FIXTURE_PATH),
    platform: platform.data,
    count: number("count", 100) ?? 100,
    ratePerSecond: number("rate", 50) ?? 50,
    kinds: kinds as (typeof LOAD_KINDS)[number][],
    concurrency: number("concurrency"),
    timeoutMs: number("timeout"),
    maxDurationMs: number("max-duration"),
  });
  console.log(JSON.stringify(report, null, 2));
}

const [command, ...rest] = process.argv.slice(2);
const run =
  command === "load"
    ? load(rest)
    : command === undefined || command === "serve"
      ? serve()
      : Promise.reject(new LoadError(`unknown command "${command}" (use serve or load)`));
run.catch((error: unknown) => {
  if (error instanceof FixtureError || error instanceof LoadError || error instanceof z.ZodError)
    console.error(
      `sandbox: ${error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") : error.message}`,
    );
  else console.error(error);
  process.exit(1);
});
