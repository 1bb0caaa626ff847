import "server-only";
import { z } from "zod";
import type { Database } from "@/db/client";
import { findLiveByExternalId, upsertConnection } from "@/db/queries/platform-accounts";
import type { PlatformAccount } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { resolveWorkspace } from "@/lib/auth/workspace-access";
import { AppError } from "@/lib/errors";
import { graphFailure } from "@/lib/platforms/account-token";
import { tokenExpiry } from "@/lib/platforms/connect-meta";
import { encryptToken } from "@/lib/platforms/crypto";
import { graph } from "@/lib/platforms/meta/graph";

export const whatsappConnectSchema = z.object({
  accessToken: z
    .string()
    .trim()
    .min(20, "Paste the access token of your WhatsApp system user.")
    .max(1000)
    // Meta's tokens are printable ASCII; anything else was pasted by mistake (and cannot travel in a header).
    .regex(/^[\x21-\x7e]+$/, "An access token has only letters, digits and punctuation, no spaces."),
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,25}$/, "The phone number id is the numeric id shown in WhatsApp Manager (not the phone number)."),
  businessAccountId: z
    .string()
    .trim()
    .regex(/^\d{5,25}$/, "The WhatsApp Business Account id is numeric."),
  workspaceId: z.uuid().optional(),
});

export type WhatsAppConnectInput = z.output<typeof whatsappConnectSchema>;

interface PhoneNumber {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
}

/**
 * Connects a WhatsApp Business number: the token is checked against the Graph API (the number must
 * answer and belong to the business account) before anything is stored, then the WABA is
 * subscribed to the app so messages arrive. Meta's refusal answers 422 with Meta's message.
 */
export async function connectWhatsApp(
  db: Database,
  params: { userId: string; input: WhatsAppConnectInput },
): Promise<PlatformAccount> {
  const { input } = params;
  const workspace = await resolveWorkspace(db, { userId: params.userId, workspaceId: input.workspaceId, minimumRole: "admin" });
  let number: PhoneNumber;
  try {
    // WhatsApp Business Phone Number — developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status
    number = await graph<PhoneNumber>({
      path: input.phoneNumberId,
      token: input.accessToken,
      query: { fields: "id,display_phone_number,verified_name,quality_rating" },
    });
    const numbers = await graph<{ data: PhoneNumber[] }>({
      path: `${input.businessAccountId}/phone_numbers`,
      token: input.accessToken,
      query: { limit: 100 },
    });
    if (!numbers.data.some((candidate) => candidate.id === input.phoneNumberId)) {
      throw new AppError(
        "platform_rejected",
        `Phone number ${input.phoneNumberId} does not belong to WhatsApp Business Account ${input.businessAccountId}.`,
        {
          details: { field: "phoneNumberId" },
        },
      );
    }
  } catch (error) {
    throw graphFailure(error, "Meta refused these WhatsApp credentials");
  }

  const live = await findLiveByExternalId(db, { platform: "whatsapp", externalId: input.phoneNumberId });
  if (live && live.workspaceId !== workspace.id) {
    throw new AppError(
      "platform_already_connected",
      "This WhatsApp number is already connected to another Chats workspace; disconnect it there first.",
    );
  }
  try {
    // Subscribe the app to the WABA's webhooks — developers.facebook.com/docs/whatsapp/embedded-signup/webhooks
    await graph({ method: "POST", path: `${input.businessAccountId}/subscribed_apps`, token: input.accessToken });
  } catch (error) {
    throw graphFailure(error, "Meta refused the webhook subscription");
  }
  const account = await upsertConnection(db, {
    workspaceId: workspace.id,
    platform: "whatsapp",
    externalId: input.phoneNumberId,
    name: number.verified_name ?? number.display_phone_number ?? input.phoneNumberId,
    username: number.display_phone_number ?? null,
    pictureUrl: null,
    pageId: null,
    businessAccountId: input.businessAccountId,
    accessTokenCiphertext: encryptToken(input.accessToken),
    tokenExpiresAt: await tokenExpiry(input.accessToken),
    connectedByUserId: params.userId,
  });
  await recordAudit(db, {
    action: "platform.connected",
    workspaceId: workspace.id,
    userId: params.userId,
    targetType: "whatsapp",
    targetId: account.externalId,
    details: { name: account.name },
  });
  return account;
}
