import "server-only";
import type { Database } from "@/db/client";
import { findPlatformAccountForUser } from "@/db/queries/platform-accounts";
import { AppError } from "@/lib/errors";
import { graphFailure, withAccountToken } from "@/lib/platforms/account-token";
import { graphPages } from "@/lib/platforms/meta/graph";

export interface TemplateDto {
  name: string;
  language: string;
  category: string | null;
  status: string | null;
  /** The body text with its {{n}} placeholders, for the picker's preview. */
  body: string | null;
  parameters: number;
}

interface GraphTemplate {
  name: string;
  language: string;
  category?: string;
  status?: string;
  components?: { type: string; text?: string }[];
}

/** The approved message templates of a WhatsApp number's business account. */
export async function listTemplates(db: Database, params: { userId: string; platformId: string }): Promise<TemplateDto[]> {
  const account = await findPlatformAccountForUser(db, { userId: params.userId, id: params.platformId });
  if (!account) throw AppError.notFound("Platform");
  if (account.platform !== "whatsapp" || !account.businessAccountId)
    throw new AppError("bad_request", "Message templates belong to WhatsApp numbers.");
  const businessAccountId = account.businessAccountId;
  try {
    return await withAccountToken(db, account, async (token) => {
      const templates: TemplateDto[] = [];
      // Message Templates — developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates
      for await (const page of graphPages<GraphTemplate>(
        {
          path: `${businessAccountId}/message_templates`,
          token,
          query: { fields: "name,language,category,status,components", limit: 100 },
        },
        10,
      )) {
        for (const template of page) {
          if (template.status && template.status !== "APPROVED") continue;
          const body = template.components?.find((component) => component.type.toUpperCase() === "BODY")?.text ?? null;
          templates.push({
            name: template.name,
            language: template.language,
            category: template.category ?? null,
            status: template.status ?? null,
            body,
            parameters: new Set(body?.match(/\{\{\d+\}\}/g) ?? []).size,
          });
        }
      }
      return templates;
    });
  } catch (error) {
    throw graphFailure(error, "Meta did not list the templates");
  }
}
