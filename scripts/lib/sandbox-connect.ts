import { randomBytes } from "node:crypto";

// Connects a workspace to the sandbox's Page, Instagram account and WhatsApp number through the
// app's public API, exactly as a person does it (Meta's dialog → Continue → callback; the WhatsApp
// form), so history and webhooks arrive through the real connect + backfill. Used by the dev demo
// workspace, the bench and the soak.

const WABA_ID = "102200000000001";
const PHONE_NUMBER_ID = "109100000000001";

/** A new owner registered and signed in through the public API, for a run of its own. */
export async function signUpOwner(appUrl: string, label: string): Promise<{ email: string; accessToken: string }> {
  const user = {
    email: `${label}-${randomBytes(4).toString("hex")}@chats.local`,
    password: randomBytes(18).toString("base64url"),
  };
  const headers = { "content-type": "application/json" };
  await jsonOf(
    await fetch(new URL("/api/auth/register", appUrl), {
      method: "POST",
      headers,
      body: JSON.stringify({ ...user, name: label }),
    }),
    "register",
  );
  const { accessToken } = await jsonOf<{ accessToken: string }>(
    await fetch(new URL("/api/auth/login", appUrl), { method: "POST", headers, body: JSON.stringify(user) }),
    "login",
  );
  return { email: user.email, accessToken };
}

export interface SandboxSession {
  appUrl: string;
  sandboxUrl: string;
  /** The signed-in user's API access token. */
  accessToken: string;
}

export async function jsonOf<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

function call<T>(session: SandboxSession, path: string, what: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(new URL(path, session.appUrl), {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${session.accessToken}`,
      accept: "application/json",
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  }).then((response) => jsonOf<T>(response, what));
}

/** Messenger or Instagram through Meta's (the sandbox's) OAuth dialog; returns how many accounts it connected. */
export async function connectThroughDialog(session: SandboxSession, platform: "messenger" | "instagram"): Promise<number> {
  const { authorizeUrl } = await call<{ authorizeUrl: string }>(
    session,
    `/api/platforms/${platform}/connect`,
    `${platform} connect`,
    {
      method: "POST",
      body: {},
    },
  );
  const dialog = new URL(authorizeUrl);
  // The person opens Meta's dialog…
  const page = await fetch(dialog);
  if (!page.ok) throw new Error(`the sandbox's OAuth dialog answered ${page.status}`);
  // …and clicks "Continue".
  const decided = await fetch(new URL("/_sandbox/oauth/decide", session.sandboxUrl), {
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
  const back = new URL(decided.headers.get("location") ?? "", session.appUrl);
  const result = await call<{ platforms: unknown[] }>(session, `${back.pathname}${back.search}`, `${platform} callback`);
  return result.platforms.length;
}

/** The WhatsApp number with the token the sandbox issued for its business account. */
export async function connectWhatsApp(session: SandboxSession): Promise<void> {
  const state = await jsonOf<{ tokens: { whatsapp: Record<string, string> } }>(
    await fetch(new URL("/_sandbox/state", session.sandboxUrl)),
    "sandbox state",
  );
  await call(session, "/api/platforms/whatsapp/connect", "WhatsApp connect", {
    method: "POST",
    body: { accessToken: state.tokens.whatsapp[WABA_ID], phoneNumberId: PHONE_NUMBER_ID, businessAccountId: WABA_ID },
  });
}

export interface ConnectedPlatform {
  id: string;
  platform: "messenger" | "instagram" | "whatsapp";
  externalId: string;
  lastSyncedAt: string | null;
}

/**
 * All three, then waits until their history is in: the Page's and the Instagram account's imports
 * finished (lastSyncedAt) and the sandbox delivered everything it queued (WhatsApp has no history
 * API; the sandbox replays its history as webhooks).
 */
export async function connectAllSandboxAccounts(session: SandboxSession, timeoutMs: number): Promise<ConnectedPlatform[]> {
  await connectThroughDialog(session, "messenger");
  await connectThroughDialog(session, "instagram");
  await connectWhatsApp(session);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { platforms } = await call<{ platforms: ConnectedPlatform[] }>(session, "/api/platforms", "platforms");
    const imported = platforms.filter((platform) => platform.platform !== "whatsapp").every((platform) => platform.lastSyncedAt);
    if (platforms.length >= 3 && imported) break;
    if (Date.now() > deadline) throw new Error(`the history import did not finish within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await jsonOf(await fetch(new URL("/_sandbox/idle?timeoutMs=60000", session.sandboxUrl)), "sandbox idle");
  return (await call<{ platforms: ConnectedPlatform[] }>(session, "/api/platforms", "platforms")).platforms;
}
