import { z } from "zod";
import type { ClientToServerEvents } from "@/lib/realtime/events";

// Input schemas of the realtime surface: the catch-up query and what sockets send.

const MAX_BIGINT = 2n ** 63n - 1n;

export const cursorSchema = z
  .string({ error: "after is required: a cursor from GET /api/realtime/token or a previous page." })
  .regex(/^\d{1,19}$/, "must be a cursor: the digits of an event id.")
  // zod runs refinements after a failed regex too, so only digits reach BigInt().
  .refine((value) => !/^\d{1,19}$/.test(value) || BigInt(value) <= MAX_BIGINT, "is out of range.");

export const eventsQuerySchema = z.object({
  after: cursorSchema,
  limit: z.coerce.number({ error: "limit must be a number." }).int().min(1).max(500).default(200),
});

type Payload<K extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[K]>[0];

export const authenticateSchema = z.strictObject({ token: z.string().min(1).max(8192) }) satisfies z.ZodType<
  Payload<"authenticate">
>;

export const subscribeMessagesSchema = z.strictObject({ conversationId: z.uuid().optional() }) satisfies z.ZodType<
  Payload<"subscribe_messages">
>;

export const unsubscribeMessagesSchema = z.strictObject({ conversationId: z.uuid() }) satisfies z.ZodType<
  Payload<"unsubscribe_messages">
>;

export const markReadSchema = z.union([
  z.strictObject({ messageId: z.uuid() }),
  z.strictObject({ conversationId: z.uuid() }),
]) satisfies z.ZodType<Payload<"mark_read">>;
