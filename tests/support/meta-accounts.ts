import type { PlatformAccount } from "@/db/schema";
import { encryptToken } from "@/lib/platforms/crypto";
import { createPlatformAccount } from "../factories/messaging";
import type { TestMeta } from "./sandbox";

export const SANDBOX = {
  pageId: "106100000000001",
  instagramId: "17841400000000001",
  phoneNumberId: "109100000000001",
  wabaId: "102200000000001",
} as const;

/** The sandbox's page, Instagram account and number, connected to a workspace (no OAuth round trip). */
export async function connectSandboxAccounts(
  meta: TestMeta,
  workspaceId: string,
): Promise<Record<"messenger" | "instagram" | "whatsapp", PlatformAccount>> {
  const pageToken = encryptToken(meta.sandbox.context.pageToken(SANDBOX.pageId));
  const messenger = await createPlatformAccount(workspaceId, {
    platform: "messenger",
    externalId: SANDBOX.pageId,
    pageId: SANDBOX.pageId,
    name: "Acme Coffee",
    accessTokenCiphertext: pageToken,
  });
  const instagram = await createPlatformAccount(workspaceId, {
    platform: "instagram",
    externalId: SANDBOX.instagramId,
    pageId: SANDBOX.pageId,
    name: "Acme Coffee",
    username: "acme.coffee",
    accessTokenCiphertext: pageToken,
  });
  const whatsapp = await createPlatformAccount(workspaceId, {
    platform: "whatsapp",
    externalId: SANDBOX.phoneNumberId,
    businessAccountId: SANDBOX.wabaId,
    name: "Acme Coffee",
    accessTokenCiphertext: encryptToken(meta.sandbox.context.systemUserToken(SANDBOX.wabaId)),
  });
  return { messenger, instagram, whatsapp };
}

/** A sandbox customer acts (writes, reacts, reads…) and the resulting webhooks are fully ingested. */
export async function customerActs(
  meta: TestMeta,
  action: { platform: string; kind?: string; text?: string; customer?: string; messageId?: string; emoji?: string },
) {
  const response = await fetch(`${meta.sandbox.url}/_sandbox/customers/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "text", ...action }),
  });
  if (response.status !== 202) throw new Error(`customers/send answered ${response.status}: ${await response.text()}`);
  const result = (await response.json()) as { customerId: string; message: { id: string } | null };
  await meta.settle();
  return result;
}

export async function injectFailure(
  meta: TestMeta,
  failure: { kind: string; count?: number; route?: string; status?: number; account?: string },
) {
  const response = await fetch(`${meta.sandbox.url}/_sandbox/failures`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(failure),
  });
  if (!response.ok) throw new Error(`failures answered ${response.status}: ${await response.text()}`);
}
