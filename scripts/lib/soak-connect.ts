import { randomBytes } from "node:crypto";

// A workspace for the soak, connected to the sandbox's Page, Instagram account and WhatsApp number
// through the app's public API as a person would (as scripts/lib/demo.ts does for `npm run dev`),
// so the load's webhooks are routed, stored and processed exactly as in production.

const WABA_ID = "102200000000001";
const PHONE_NUMBER_ID = "109100000000001";

async function json<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

async function connectThroughDialog(appUrl: string, sandboxUrl: string, token: string, platform: "messenger" | "instagram") {
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" };
  const { authorizeUrl } = await json<{ authorizeUrl: string }>(
    await fetch(new URL(`/api/platforms/${platform}/connect`, appUrl), { method: "POST", headers: auth, body: "{}" }),
    `${platform} connect`,
  );
  const dialog = new URL(authorizeUrl);
  const page = await fetch(dialog);
  if (!page.ok) throw new Error(`the sandbox's OAuth dialog answered ${page.status}`);
  const decided = await fetch(new URL("/_sandbox/oauth/decide", sandboxUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: dialog.searchParams.get("client_id") ?? "",
      redirect_uri: dialog.searchParams.get("redirect_uri") ?? "",
      state: dialog.searchParams.get("state") ?? "",
      scope: dialog.searchParams.get("scope") ?? "",
      decision: "allow",
    }).toString(),
    redirect: "manual",
  });
  const back = new URL(decided.headers.get("location") ?? "");
  await json(await fetch(new URL(`${back.pathname}${back.search}`, appUrl), { headers: auth }), `${platform} callback`);
}

/** Signs up a fresh owner, connects all three platforms and waits for their history imports. */
export async function connectSoakWorkspace(appUrl: string, sandboxUrl: string): Promise<{ platforms: number }> {
  const user = { email: `soak-${randomBytes(4).toString("hex")}@chats.local`, password: randomBytes(18).toString("base64url") };
  const headers = { "content-type": "application/json" };
  await json(
    await fetch(new URL("/api/auth/register", appUrl), {
      method: "POST",
      headers,
      body: JSON.stringify({ ...user, name: "Soak" }),
    }),
    "register",
  );
  const { accessToken } = await json<{ accessToken: string }>(
    await fetch(new URL("/api/auth/login", appUrl), { method: "POST", headers, body: JSON.stringify(user) }),
    "login",
  );
  await connectThroughDialog(appUrl, sandboxUrl, accessToken, "messenger");
  await connectThroughDialog(appUrl, sandboxUrl, accessToken, "instagram");
  const state = await json<{ tokens: { whatsapp: Record<string, string> } }>(
    await fetch(new URL("/_sandbox/state", sandboxUrl)),
    "sandbox state",
  );
  await json(
    await fetch(new URL("/api/platforms/whatsapp/connect", appUrl), {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({
        accessToken: state.tokens.whatsapp[WABA_ID],
        phoneNumberId: PHONE_NUMBER_ID,
        businessAccountId: WABA_ID,
      }),
    }),
    "WhatsApp connect",
  );

  // History arrives by backfill (Messenger, Instagram) and by replayed webhooks (WhatsApp).
  const deadline = Date.now() + 180_000;
  for (;;) {
    const { platforms } = await json<{ platforms: { lastSyncedAt: string | null; platform: string }[] }>(
      await fetch(new URL("/api/platforms", appUrl), { headers: { authorization: `Bearer ${accessToken}` } }),
      "platforms",
    );
    const imported = platforms.filter((platform) => platform.platform === "whatsapp" || platform.lastSyncedAt);
    if (platforms.length === 3 && imported.length === 3) break;
    if (Date.now() > deadline) throw new Error("the history import did not finish within 3 minutes");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await json(await fetch(new URL("/_sandbox/idle?timeoutMs=60000", sandboxUrl)), "sandbox idle");
  return { platforms: 3 };
}
