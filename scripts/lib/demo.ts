import fs from "node:fs";
import path from "node:path";
import { connectThroughDialog, connectWhatsApp, jsonOf as json } from "./sandbox-connect";

// `npm run dev` only: the first time, the demo workspace is connected to the sandbox's page,
// Instagram account and WhatsApp number through the app's public API, exactly as a person would
// (OAuth dialog → callback, WhatsApp form), so history arrives through the real connect + backfill.

const DEMO = { email: "demo@chats.local", password: "chats-demo" };

interface Options {
  appUrl: string;
  sandboxUrl: string;
  dataDir: string;
  say: (line: string) => void;
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
    const session = { appUrl: options.appUrl, sandboxUrl: options.sandboxUrl, accessToken };
    const messenger = await connectThroughDialog(session, "messenger");
    const instagram = await connectThroughDialog(session, "instagram");
    await connectWhatsApp(session);
    options.say(
      `demo workspace connected to the sandbox (${messenger} page, ${instagram} Instagram account, 1 WhatsApp number); history is importing`,
    );
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
}
