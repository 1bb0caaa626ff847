import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as forgot } from "@/app/api/auth/password/forgot/route";
import { POST as reset } from "@/app/api/auth/password/reset/route";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as refresh } from "@/app/api/auth/refresh/route";
import { POST as register } from "@/app/api/auth/register/route";
import { getDb } from "@/db/client";
import { resolveWorkspace } from "@/lib/auth/workspace-access";
import { signAccessToken } from "@/lib/auth/tokens";
import { call, uniqueIp } from "./support/api";

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; email: string; name: string };
}
interface ErrorBody {
  error: { code: string; message: string; details?: { issues: { path: string }[] } };
}

const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), "chats-mail-"));
process.env.DATA_DIR = mailDir;

let n = 0;
const email = () => `person${++n}.${Date.now()}@example.com`;

async function registered(password = "correct horse battery") {
  const address = email();
  const result = await call<{ user: { id: string } }>(register, {
    body: { email: address, password, name: "Ada Lovelace" },
    ip: uniqueIp(),
  });
  expect(result.status).toBe(201);
  return { email: address, password, id: result.body.user.id };
}

async function loggedIn(account: { email: string; password: string }) {
  const result = await call<TokenPair>(login, { body: { email: account.email, password: account.password }, ip: uniqueIp() });
  expect(result.status).toBe(200);
  return result.body;
}

describe("POST /api/auth/register", () => {
  it("creates the user with a personal workspace and never returns the password hash", async () => {
    const address = email();
    const result = await call<{ user: Record<string, unknown> }>(register, {
      body: { email: address.toUpperCase(), password: "long enough", name: "Grace Hopper" },
      ip: uniqueIp(),
    });
    expect(result.status).toBe(201);
    expect(result.body.user).toMatchObject({ email: address, name: "Grace Hopper" });
    expect(result.text).not.toContain("argon2");
    expect(result.text).not.toMatch(/password/i);
  });

  it("answers 409 email_taken for an existing email in any casing", async () => {
    const account = await registered();
    const result = await call<ErrorBody>(register, {
      body: { email: account.email.toUpperCase(), password: "another one", name: "Someone" },
      ip: uniqueIp(),
    });
    expect(result.status).toBe(409);
    expect(result.body.error.code).toBe("email_taken");
  });

  it("answers 400 with the zod issues for invalid input", async () => {
    const result = await call<ErrorBody>(register, { body: { email: "not-an-email", password: "short" }, ip: uniqueIp() });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe("validation_failed");
    expect(result.body.error.details?.issues.map((issue) => issue.path).sort()).toEqual(["email", "name", "password"]);
  });

  it("is rate limited per address with Retry-After", async () => {
    const ip = uniqueIp();
    let last = { status: 0, headers: new Headers() };
    for (let i = 0; i < 21; i++) {
      last = await call(register, { body: { email: email(), password: "long enough", name: "Bulk" }, ip });
    }
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("POST /api/auth/login", () => {
  it("returns a token pair and the user", async () => {
    const account = await registered();
    const pair = await loggedIn(account);
    expect(pair.accessToken.split(".")).toHaveLength(3);
    expect(pair.refreshToken).toMatch(/^rt_/);
    expect(pair.expiresIn).toBe(900);
    expect(pair.user).toMatchObject({ id: account.id, email: account.email });
  });

  it("answers an unknown email and a wrong password identically", async () => {
    const account = await registered();
    const wrong = await call<ErrorBody>(login, { body: { email: account.email, password: "wrong password" }, ip: uniqueIp() });
    const unknown = await call<ErrorBody>(login, { body: { email: email(), password: "wrong password" }, ip: uniqueIp() });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe("invalid_credentials");
  });

  it("locks an email out after repeated failures, whatever the address", async () => {
    const account = await registered();
    const results = [];
    for (let i = 0; i < 11; i++) {
      results.push(await call<ErrorBody>(login, { body: { email: account.email, password: `guess ${i}` }, ip: uniqueIp() }));
    }
    expect(results.slice(0, 10).every((result) => result.status === 401)).toBe(true);
    expect(results[10]?.status).toBe(429);
    expect(results[10]?.body.error.code).toBe("rate_limited");
    expect(Number(results[10]?.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("POST /api/auth/refresh", () => {
  it("rotates: the new pair works and the old refresh token stops working", async () => {
    const first = await loggedIn(await registered());
    const second = await call<TokenPair>(refresh, { body: { refreshToken: first.refreshToken }, ip: uniqueIp() });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await call(me, { token: second.body.accessToken })).status).toBe(200);

    const again = await call<ErrorBody>(refresh, { body: { refreshToken: first.refreshToken }, ip: uniqueIp() });
    expect(again.status).toBe(401);
  });

  it("revokes the whole family when a spent token is presented again", async () => {
    const first = await loggedIn(await registered());
    const second = (await call<TokenPair>(refresh, { body: { refreshToken: first.refreshToken }, ip: uniqueIp() })).body;

    const reuse = await call<ErrorBody>(refresh, { body: { refreshToken: first.refreshToken }, ip: uniqueIp() });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe("refresh_token_reused");

    // The thief's and the owner's newest tokens die with the family.
    expect((await call(refresh, { body: { refreshToken: second.refreshToken }, ip: uniqueIp() })).status).toBe(401);
    expect((await call(me, { token: second.accessToken })).status).toBe(401);
  });

  it("lets only one of two concurrent refreshes with the same token succeed", async () => {
    const first = await loggedIn(await registered());
    const results = await Promise.all([
      call(refresh, { body: { refreshToken: first.refreshToken }, ip: uniqueIp() }),
      call(refresh, { body: { refreshToken: first.refreshToken }, ip: uniqueIp() }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 401]);
  });

  it("answers 401 for an unknown token and 400 without one", async () => {
    expect((await call(refresh, { body: { refreshToken: "rt_nonsense" }, ip: uniqueIp() })).status).toBe(401);
    expect((await call(refresh, { body: {}, ip: uniqueIp() })).status).toBe(400);
  });
});

describe("GET /api/auth/me", () => {
  it("describes the caller with their workspaces and roles", async () => {
    const account = await registered();
    const pair = await loggedIn(account);
    const result = await call<{ user: { id: string; workspaces: { id: string; name: string; role: string }[] } }>(me, {
      token: pair.accessToken,
    });
    expect(result.status).toBe(200);
    expect(result.body.user.id).toBe(account.id);
    expect(result.body.user.workspaces).toEqual([{ id: expect.any(String), name: "Ada Lovelace's workspace", role: "owner" }]);
  });

  it("answers 401 without credentials, with a malformed token and with an expired one", async () => {
    const account = await registered();
    const pair = await loggedIn(account);
    expect((await call(me)).status).toBe(401);
    expect((await call(me, { token: "not.a.jwt" })).status).toBe(401);
    expect((await call(me, { headers: { authorization: `Basic ${pair.accessToken}` } })).status).toBe(401);
    const claims = JSON.parse(Buffer.from(pair.accessToken.split(".")[1] ?? "", "base64url").toString()) as { sid: string };
    const expired = await signAccessToken({ userId: account.id, sessionId: claims.sid }, -60);
    const result = await call<ErrorBody>(me, { token: expired });
    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe("unauthorized");
  });
});

describe("POST /api/auth/logout", () => {
  it("ends the API session: its refresh and access tokens stop working", async () => {
    const pair = await loggedIn(await registered());
    const result = await call(logout, { token: pair.accessToken, body: { refreshToken: pair.refreshToken } });
    expect(result.status).toBe(204);
    expect((await call(refresh, { body: { refreshToken: pair.refreshToken }, ip: uniqueIp() })).status).toBe(401);
    expect((await call(me, { token: pair.accessToken })).status).toBe(401);
  });

  it("needs credentials", async () => {
    expect((await call(logout, { body: {} })).status).toBe(401);
  });
});

describe("password reset", () => {
  function mailsTo(address: string) {
    return fs.existsSync(path.join(mailDir, "mail"))
      ? fs.readdirSync(path.join(mailDir, "mail")).filter((file) => file.endsWith(`${address}.txt`))
      : [];
  }

  async function waitForMail(address: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const [file] = mailsTo(address);
      if (file) return fs.readFileSync(path.join(mailDir, "mail", file), "utf8");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no mail to ${address}`);
  }

  it("answers 202 for known and unknown emails alike and mails a link only to the account", async () => {
    const account = await registered();
    const known = await call(forgot, { body: { email: account.email }, ip: uniqueIp() });
    const unknownAddress = email();
    const unknown = await call(forgot, { body: { email: unknownAddress }, ip: uniqueIp() });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.text).toBe(known.text);
    expect(await waitForMail(account.email)).toMatch(/http:\/\/localhost:3000\/reset-password\?token=pr_/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(mailsTo(unknownAddress)).toEqual([]);
  });

  it("sets the new password once, revokes every refresh token, and refuses the link again", async () => {
    const account = await registered();
    const pair = await loggedIn(account);
    await call(forgot, { body: { email: account.email }, ip: uniqueIp() });
    const token = /token=(pr_[\w-]+)/.exec(await waitForMail(account.email))?.[1] ?? "";

    const done = await call(reset, { body: { token, password: "a brand new password" }, ip: uniqueIp() });
    expect(done.status).toBe(204);
    expect((await call(refresh, { body: { refreshToken: pair.refreshToken }, ip: uniqueIp() })).status).toBe(401);
    expect((await call(me, { token: pair.accessToken })).status).toBe(401);
    expect((await call(login, { body: { email: account.email, password: account.password }, ip: uniqueIp() })).status).toBe(401);
    expect((await call(login, { body: { email: account.email, password: "a brand new password" }, ip: uniqueIp() })).status).toBe(
      200,
    );

    const replay = await call<ErrorBody>(reset, { body: { token, password: "yet another password" }, ip: uniqueIp() });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe("invalid_token");
  });
});

describe("workspace tenancy", () => {
  let owner: { id: string };
  let stranger: { id: string };
  beforeAll(async () => {
    owner = await registered();
    stranger = await registered();
  });

  it("answers 404 for another user's workspace, as if it did not exist", async () => {
    const db = getDb();
    const own = await resolveWorkspace(db, { userId: owner.id });
    expect(own.role).toBe("owner");
    await expect(resolveWorkspace(db, { userId: stranger.id, workspaceId: own.id })).rejects.toMatchObject({
      status: 404,
      code: "not_found",
    });
    await expect(
      resolveWorkspace(db, { userId: stranger.id, workspaceId: "00000000-0000-0000-0000-000000000000" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});
