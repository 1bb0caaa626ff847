import { randomBytes } from "node:crypto";
import { connectAllSandboxAccounts, jsonOf as json } from "./sandbox-connect";

// A workspace for the soak, connected to the sandbox's Page, Instagram account and WhatsApp number
// through the app's public API as a person would (as scripts/lib/demo.ts does for `npm run dev`),
// so the load's webhooks are routed, stored and processed exactly as in production.

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
  await connectAllSandboxAccounts({ appUrl, sandboxUrl, accessToken }, 180_000);
  return { platforms: 3 };
}
