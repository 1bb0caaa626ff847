import { z } from "zod";
import { platformEnum, webhookEventStatusEnum } from "@/db/schema/enums";
import { cursorParam, limitSchema } from "@/lib/api/pagination";

export const webhookEventStatus = z.enum(webhookEventStatusEnum.enumValues, {
  error: `status is one of ${webhookEventStatusEnum.enumValues.join(", ")}.`,
});

export const listWebhookEventsQuery = z.object({
  workspaceId: z.uuid().optional(),
  status: webhookEventStatus.optional(),
  platform: z.enum(platformEnum.enumValues, { error: "platform is instagram, messenger or whatsapp." }).optional(),
  cursor: cursorParam,
  limit: limitSchema,
});

export const webhookEventIdParams = z.object({ id: z.uuid({ error: "Not a webhook event id." }) });

/** The position of the last event of a page: (receivedAt at full precision, id), newest first. */
export const webhookEventCursor = z.object({ p: z.string().max(64), id: z.uuid() });

export type ListWebhookEventsQuery = z.output<typeof listWebhookEventsQuery>;
export type WebhookEventStatus = z.output<typeof webhookEventStatus>;
