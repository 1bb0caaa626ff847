import { connectAllSandboxAccounts, signUpOwner } from "./sandbox-connect";

// A workspace for the soak, connected to the sandbox's Page, Instagram account and WhatsApp number
// through the app's public API as a person would (as scripts/lib/demo.ts does for `npm run dev`),
// so the load's webhooks are routed, stored and processed exactly as in production.

/** Signs up a fresh owner, connects all three platforms and waits for their history imports. */
export async function connectSoakWorkspace(appUrl: string, sandboxUrl: string): Promise<{ platforms: number }> {
  const { accessToken } = await signUpOwner(appUrl, "soak");
  await connectAllSandboxAccounts({ appUrl, sandboxUrl, accessToken }, 180_000);
  return { platforms: 3 };
}
