// The Meta sandbox the e2e server runs (npm start without META_APP_ID starts it on SANDBOX_PORT).
export const SANDBOX_URL = "http://127.0.0.1:3102";

export async function sandboxState(): Promise<{ tokens: { whatsapp: Record<string, string> } } & Record<string, unknown>> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/state`);
  if (!response.ok) throw new Error(`sandbox state answered ${response.status}`);
  return (await response.json()) as { tokens: { whatsapp: Record<string, string> } } & Record<string, unknown>;
}

/** What the app sent through the Send API / Cloud API, as the sandbox recorded it. */
export async function sandboxSent(platform?: string): Promise<{ request: Record<string, unknown>; status: number }[]> {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/sent${platform ? `?platform=${platform}` : ""}`);
  const body = (await response.json()) as { sent?: unknown[] } | unknown[];
  return (Array.isArray(body) ? body : (body.sent ?? [])) as { request: Record<string, unknown>; status: number }[];
}

/** A customer writes to the business. */
export async function customerSends(body: { platform: string; kind?: string; text?: string; customer?: string }) {
  const response = await fetch(`${SANDBOX_URL}/_sandbox/customers/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "text", ...body }),
  });
  if (response.status !== 202) throw new Error(`sandbox customers/send answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { customerId: string; message: { id: string } };
}
