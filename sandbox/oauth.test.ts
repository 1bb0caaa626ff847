import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "./server";
import { APP_ID, APP_SECRET, consent, getJson, startReceiver, startTestSandbox, type Receiver } from "./test-support";

const REDIRECT = "http://localhost:3000/api/auth/callback/facebook";
let receiver: Receiver;
let sandbox: RunningSandbox;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startTestSandbox(receiver);
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const tokenUrl = (query: string) => `${sandbox.url}/v25.0/oauth/access_token?${query}`;

describe("the OAuth dialog", () => {
  it("shows the Facebook user, the Pages and the linked Instagram account with Continue and Cancel buttons", async () => {
    const response = await fetch(
      `${sandbox.url}/v25.0/dialog/oauth?client_id=${APP_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=xyz`,
    );
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("Dana Whitfield");
    expect(html).toContain("Acme Coffee");
    expect(html).toContain("@acme.coffee");
    expect(html).toMatch(/<button[^>]*value="allow"/);
    expect(html).toMatch(/<button[^>]*value="deny"/);
  });

  it("refuses a missing or foreign client_id and a missing redirect_uri", async () => {
    expect((await fetch(`${sandbox.url}/v25.0/dialog/oauth?redirect_uri=${encodeURIComponent(REDIRECT)}`)).status).toBe(400);
    expect(
      (await fetch(`${sandbox.url}/v25.0/dialog/oauth?client_id=42&redirect_uri=${encodeURIComponent(REDIRECT)}`)).status,
    ).toBe(400);
    expect((await fetch(`${sandbox.url}/v25.0/dialog/oauth?client_id=${APP_ID}`)).status).toBe(400);
  });

  it("redirects Continue back with a code and the same state", async () => {
    const location = await consent(sandbox, REDIRECT, "state-123");
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("state-123");
    expect(location.searchParams.get("code")).toMatch(/^AQ/);
  });

  it("redirects Cancel back with access_denied / user_denied and the state, as Facebook does", async () => {
    const location = await consent(sandbox, REDIRECT, "state-456", "email", "deny");
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("error_reason")).toBe("user_denied");
    expect(location.searchParams.get("error_description")).toBeTruthy();
    expect(location.searchParams.get("state")).toBe("state-456");
    expect(location.searchParams.has("code")).toBe(false);
  });
});

describe("GET|POST /oauth/access_token", () => {
  it("exchanges a code posted as a form (as Auth.js does) for a short-lived bearer token", async () => {
    const code = (await consent(sandbox, REDIRECT, "s")).searchParams.get("code") ?? "";
    const { status, body } = await getJson(`${sandbox.url}/v25.0/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: APP_ID,
        client_secret: APP_SECRET,
        redirect_uri: REDIRECT,
        code,
        grant_type: "authorization_code",
      }).toString(),
    });
    expect(status).toBe(200);
    expect(body.token_type).toBe("bearer");
    expect(typeof body.access_token).toBe("string");
    expect(body.expires_in).toBeGreaterThanOrEqual(3600);
    expect(body.expires_in).toBeLessThanOrEqual(7200);
  });

  it("exchanges a code by GET and with HTTP Basic client credentials", async () => {
    const first = (await consent(sandbox, REDIRECT, "s")).searchParams.get("code") ?? "";
    const viaGet = await getJson(
      tokenUrl(`client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent(REDIRECT)}&code=${first}`),
    );
    expect(viaGet.status).toBe(200);
    const second = (await consent(sandbox, REDIRECT, "s")).searchParams.get("code") ?? "";
    const viaBasic = await getJson(`${sandbox.url}/oauth/access_token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${APP_ID}:${APP_SECRET}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ redirect_uri: REDIRECT, code: second, grant_type: "authorization_code" }).toString(),
    });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body.token_type).toBe("bearer");
  });

  it("refuses a used code with OAuthException 100/36009", async () => {
    const code = (await consent(sandbox, REDIRECT, "s")).searchParams.get("code") ?? "";
    const query = `client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent(REDIRECT)}&code=${code}`;
    expect((await getJson(tokenUrl(query))).status).toBe(200);
    const again = await getJson(tokenUrl(query));
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({
      message: "This authorization code has been used.",
      type: "OAuthException",
      code: 100,
      error_subcode: 36009,
    });
    expect((again.body.error as { fbtrace_id: string }).fbtrace_id).toBeTruthy();
  });

  it("refuses a wrong secret, an unknown code and a different redirect_uri", async () => {
    const code = (await consent(sandbox, REDIRECT, "s")).searchParams.get("code") ?? "";
    const wrongSecret = await getJson(
      tokenUrl(`client_id=${APP_ID}&client_secret=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&code=${code}`),
    );
    expect(wrongSecret.body.error).toMatchObject({ message: "Error validating client secret.", code: 1, type: "OAuthException" });
    const unknown = await getJson(
      tokenUrl(`client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent(REDIRECT)}&code=AQnope`),
    );
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 36008 });
    const otherRedirect = await getJson(
      tokenUrl(
        `client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent("http://evil.example/")}&code=${code}`,
      ),
    );
    expect(otherRedirect.status).toBe(400);
    expect(otherRedirect.body.error).toMatchObject({ code: 100, error_subcode: 36008 });
    const wrongApp = await getJson(tokenUrl(`client_id=42&client_secret=${APP_SECRET}&code=${code}`));
    expect(wrongApp.body.error).toMatchObject({ code: 101 });
  });

  it("turns a short-lived token into a ~60-day token with fb_exchange_token", async () => {
    const code = (await consent(sandbox, REDIRECT, "s")).searchParams.get("code") ?? "";
    const short = await getJson(
      tokenUrl(`client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent(REDIRECT)}&code=${code}`),
    );
    const long = await getJson(
      tokenUrl(
        `grant_type=fb_exchange_token&client_id=${APP_ID}&client_secret=${APP_SECRET}&fb_exchange_token=${String(short.body.access_token)}`,
      ),
    );
    expect(long.status).toBe(200);
    expect(long.body.token_type).toBe("bearer");
    expect(long.body.expires_in).toBeGreaterThan(50 * 24 * 3600);
    expect(long.body.access_token).not.toBe(short.body.access_token);
  });

  it("issues an app token for client_credentials that debug_token accepts", async () => {
    const app = await getJson(tokenUrl(`grant_type=client_credentials&client_id=${APP_ID}&client_secret=${APP_SECRET}`));
    expect(app.body).toMatchObject({ token_type: "bearer" });
    expect(String(app.body.access_token)).toMatch(new RegExp(`^${APP_ID}\\|`));
    const code = (await consent(sandbox, REDIRECT, "s")).searchParams.get("code") ?? "";
    const user = await getJson(
      tokenUrl(`client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent(REDIRECT)}&code=${code}`),
    );
    const debug = await getJson(
      `${sandbox.url}/v25.0/debug_token?input_token=${String(user.body.access_token)}&access_token=${String(app.body.access_token)}`,
    );
    expect(debug.status).toBe(200);
    expect(debug.body.data).toMatchObject({
      app_id: APP_ID,
      type: "USER",
      application: "Chats (sandbox)",
      is_valid: true,
      user_id: "10229000000000001",
    });
    const data = debug.body.data as { scopes: string[]; expires_at: number };
    expect(data.scopes).toContain("pages_messaging");
    expect(data.expires_at).toBeGreaterThan(Date.now() / 1000);
    const invalid = await getJson(`${sandbox.url}/v25.0/debug_token?input_token=garbage&access_token=${APP_ID}|${APP_SECRET}`);
    expect(invalid.body.data).toMatchObject({ is_valid: false, error: { code: 190 } });
  });
});
