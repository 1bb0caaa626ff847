import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { withDatabase } from "./support/database";
import { sandboxState } from "./support/sandbox";
import { SERVER_LOG } from "./support/server-log";
import { newUser } from "./support/users";

// Runs after every browser spec (playwright.config.ts, project "after the run"): everything the
// stack printed during the run — supervisor, database, realtime sidecar, Meta sandbox and the app
// at LOG_LEVEL=info — may not hold a secret, a token, a password or a customer's words. The secrets
// come from where they live (the data directory, the sandbox's control API, the database); values
// nobody can list (tokens minted during OAuth, the users' passwords) are found by their shape.

interface Leak {
  what: string;
  lines: number[];
}

/** Shapes of credentials that must never be printed, whoever minted them. */
const SHAPES: [string, RegExp][] = [
  // Meta access tokens start with EAA; the sandbox's (sandbox/tokens.ts) with EAAS.
  ["a Meta-style access token (EAA…)", /(?<![A-Za-z0-9+/_-])EAA[A-Za-z0-9_.-]{16,}/],
  // Our API access tokens (JWS) and Auth.js session cookies (JWE) both begin with a base64url `{"`.
  ["a JWT or session cookie", /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{10,}/],
];

// e2e/support/users.ts gives every test user a password of this shape; checked against it below,
// so a change there cannot silently blind this check.
const TEST_PASSWORD = /pw-[0-9a-f]{10}-long-enough/;

function lineNumbers(lines: string[], matches: (line: string) => boolean): number[] {
  return lines.flatMap((line, index) => (matches(line) ? [index + 1] : []));
}

test("the whole run's server log holds no secret, token, password or customer's words", async () => {
  const log = fs.readFileSync(SERVER_LOG, "utf8");
  const lines = log.split("\n");

  // Not a vacuous pass: every part of the stack wrote here, and the app's own logger at info.
  for (const part of ["chats", "db", "realtime", "sandbox", "web"]) {
    expect(
      lines.some((line) => line.startsWith(`${part.padEnd(8)}│ `)),
      `${part} lines in ${SERVER_LOG}`,
    ).toBe(true);
  }
  expect(log).toContain('"msg":"database migrations applied"');
  expect(TEST_PASSWORD.test(newUser().password)).toBe(true);

  const secrets = new Map<string, string>();
  const secretsFile = path.join(path.dirname(SERVER_LOG), "secrets.json");
  const local = JSON.parse(fs.readFileSync(secretsFile, "utf8")) as Record<string, string>;
  for (const [name, value] of Object.entries(local)) secrets.set(`${name} (secrets.json)`, value);
  const state = (await sandboxState()) as unknown as {
    tokens: { pages: Record<string, string>; whatsapp: Record<string, string>; app: string };
  };
  for (const [id, token] of Object.entries(state.tokens.pages)) secrets.set(`the sandbox's token of page ${id}`, token);
  for (const [id, token] of Object.entries(state.tokens.whatsapp)) secrets.set(`the sandbox's WhatsApp token of ${id}`, token);
  secrets.set("the sandbox's app token", state.tokens.app);
  // Long texts only: a "Hi" or "ok" would match log lines by chance.
  const texts = await withDatabase(async (client) => {
    const { rows } = await client.query<{ text: string }>(
      "select distinct text from messages where text is not null and length(btrim(text)) >= 16",
    );
    return rows.map((row) => row.text.trim());
  });
  expect(texts.length, "messages with text stored during the run").toBeGreaterThan(0);
  for (const value of secrets.values()) expect(value.length).toBeGreaterThanOrEqual(16);

  const leaks: Leak[] = [];
  const report = (what: string, numbers: number[]) => {
    if (numbers.length) leaks.push({ what, lines: numbers.slice(0, 5) });
  };
  for (const [what, value] of secrets)
    report(
      what,
      lineNumbers(lines, (line) => line.includes(value)),
    );
  for (const [what, shape] of SHAPES)
    report(
      what,
      lineNumbers(lines, (line) => shape.test(line)),
    );
  report(
    "a test user's password",
    lineNumbers(lines, (line) => TEST_PASSWORD.test(line)),
  );
  const textLines = texts.flatMap((text) => lineNumbers(lines, (line) => line.includes(text)));
  report(
    `a message's text (of ${texts.length} checked)`,
    [...new Set(textLines)].sort((a, b) => a - b),
  );

  // The report names what leaked and where, never the value: this output is a log too.
  expect(leaks, `${SERVER_LOG}: ${lines.length} lines, ${secrets.size} secrets, ${texts.length} texts checked`).toEqual([]);
});
