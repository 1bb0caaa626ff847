import { z } from "zod";
import { cursorParam, limitSchema } from "@/lib/api/pagination";

const platform = z.enum(["instagram", "messenger", "whatsapp"], { error: "platform is instagram, messenger or whatsapp." });
const flag = z.enum(["true", "false"], { error: "Use true or false." }).transform((value) => value === "true");
const isoDate = z.iso
  .datetime({ offset: true, error: "Use an ISO-8601 date-time, e.g. 2026-11-21T09:00:00Z." })
  .transform((value) => new Date(value));
const searchText = z.string().trim().min(1, "q must not be empty.").max(200, "q is at most 200 characters.");

export const idParams = z.object({ id: z.uuid({ error: "Not a valid id." }) });

export const listConversationsQuery = z.object({
  workspaceId: z.uuid().optional(),
  platform: platform.optional(),
  platformId: z.uuid({ error: "platformId must be a platform id." }).optional(),
  unread: flag.optional(),
  archived: flag.optional(),
  q: searchText.optional(),
  cursor: cursorParam,
  limit: limitSchema,
});

export const summaryQuery = z.object({ workspaceId: z.uuid().optional() });

export const patchConversationBody = z.object({ isArchived: z.boolean({ error: "isArchived must be true or false." }) }).strict();

export const conversationMessagesQuery = z.object({ cursor: cursorParam, limit: limitSchema });

export const searchMessagesQuery = z
  .object({
    workspaceId: z.uuid().optional(),
    platform: platform.optional(),
    conversationId: z.uuid({ error: "conversationId must be a conversation id." }).optional(),
    direction: z.enum(["incoming", "outgoing"], { error: "direction is incoming or outgoing." }).optional(),
    unread: flag.optional(),
    q: searchText.optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    cursor: cursorParam,
    limit: limitSchema,
  })
  .refine((query) => !query.since || !query.until || query.since <= query.until, {
    message: "since must not be after until.",
    path: ["since"],
  });

export type ListConversationsQuery = z.output<typeof listConversationsQuery>;
export type SearchMessagesQuery = z.output<typeof searchMessagesQuery>;

const templateComponent = z
  .object({
    type: z.enum(["header", "body", "button", "footer"], { error: "component type is header, body, button or footer." }),
    sub_type: z.string().max(30).optional(),
    index: z.union([z.string().max(3), z.number().int().min(0).max(10)]).optional(),
    parameters: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
  })
  .loose();

export const sendMessageBody = z.union(
  [
    z
      .object({
        conversationId: z.uuid(),
        text: z.string().min(1, "text must not be empty.").max(4096, "text is at most 4096 characters."),
      })
      .strict(),
    z
      .object({
        conversationId: z.uuid(),
        attachment: z.object({
          type: z.enum(["image", "video", "audio", "file"], { error: "attachment.type is image, video, audio or file." }),
          url: z.url({ protocol: /^https?$/, error: "attachment.url must be an http(s) URL." }).max(2000),
        }),
      })
      .strict(),
    z
      .object({
        conversationId: z.uuid(),
        template: z.object({
          name: z.string().regex(/^[a-z0-9_]{1,512}$/, "template.name is a template's lower-case name."),
          language: z
            .string()
            .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "template.language is a code like en_US.")
            .default("en_US"),
          components: z.array(templateComponent).max(10).optional(),
        }),
      })
      .strict(),
  ],
  {
    error:
      "Send {conversationId, text}, {conversationId, attachment: {type, url}} or {conversationId, template: {name, language}}.",
  },
);

export type SendMessageInput = z.output<typeof sendMessageBody>;
