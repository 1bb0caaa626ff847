import fs from "node:fs";
import path from "node:path";

// `npm run dev` only: the first time, the demo workspace is connected to the sandbox's page,
// Instagram account and WhatsApp number through the app's public API, exactly as a person would
// (OAuth dialog → callback, WhatsApp form), so history arrives through the real connect + backfill.

const DEMO = { email: "demo@chats.local", password: "chats-demo" };
const WABA_ID = "102200000000001";
const PHONE_NUMBER_ID = "109100000000001";

interface Options {
  appUrl: string;
  sandboxUrl: string;
  dataDir: string;
  say: (line: string) => void;
}

async function json<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

async function waitForApp(appUrl: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL("/api/health", appUrl));
      if (response.ok) return;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error("the app did not become healthy within 3 minutes");
}

async function connectThroughMeta(options: Options, token: string, platform: "messenger" | "instagram") {
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" };
  const { authorizeUrl } = await json<{ authorizeUrl: string }>(
    await fetch(new URL(`/api/platforms/${platform}/connect`, options.appUrl), { method: "POST", headers: auth, body: "{}" }),
    `${platform} connect`,
  );
  const dialog = new URL(authorizeUrl);
  // The person opens Meta's dialog…
  const page = await fetch(dialog);
  if (!page.ok) throw new Error(`the sandbox's OAuth dialog answered ${page.status}`);
  // …and clicks "Continue".
  const decided = await fetch(new URL("/_sandbox/oauth/decide", options.sandboxUrl), {
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
  const result = await json<{ platforms: { name: string }[] }>(
    await fetch(new URL(`${back.pathname}${back.search}`, options.appUrl), { headers: auth }),
    `${platform} callback`,
  );
  return result.platforms.length;
}

export async function connectDemoWorkspace(options: Options): Promise<void> {
  const marker = path.join(options.dataDir, "demo-connected");
  if (fs.existsSync(marker)) return;
  await waitForApp(options.appUrl);
  const { accessToken } = await json<{ accessToken: string }>(
    await fetch(new URL("/api/auth/login", options.appUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(DEMO),
    }),
    "demo sign-in",
  );
  const existing = await json<{ platforms: unknown[] }>(
    await fetch(new URL("/api/platforms", options.appUrl), { headers: { authorization: `Bearer ${accessToken}` } }),
    "platforms",
  );
  if (existing.platforms.length === 0) {
    const messenger = await connectThroughMeta(options, accessToken, "messenger");
    const instagram = await connectThroughMeta(options, accessToken, "instagram");
    const state = await json<{ tokens: { whatsapp: Record<string, string> } }>(
      await fetch(new URL("/_sandbox/state", options.sandboxUrl)),
      "sandbox state",
    );
    await json(
      await fetch(new URL("/api/platforms/whatsapp/connect", options.appUrl), {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({
          accessToken: state.tokens.whatsapp[WABA_ID],
          phoneNumberId: PHONE_NUMBER_ID,
          businessAccountId: WABA_ID,
        }),
      }),
      "WhatsApp connect",
    );
    options.say(
      `demo workspace connected to the sandbox (${messenger} page, ${instagram} Instagram account, 1 WhatsApp number); history is importing`,
    );
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
}
