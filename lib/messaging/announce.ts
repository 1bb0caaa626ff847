import "server-only";
import type { RecordFn } from "@/lib/realtime/publish";
import { toConversationDto, toMessageDto } from "@/lib/messaging/serialize";
import type { Change } from "@/lib/webhooks/apply";

/** Records what changed in a conversation as realtime events, in the same transaction as the change. */
export async function recordChanges(record: RecordFn, changes: readonly Change[]): Promise<void> {
  for (const change of changes) {
    const { message } = change;
    const base = { workspaceId: message.workspaceId, conversationId: message.conversationId };
    if (change.type === "new_message") {
      await record({
        ...base,
        type: "new_message",
        payload: { message: toMessageDto(message), conversation: toConversationDto(change.conversation, change.contact) },
      });
    } else if (change.type === "message_status") {
      await record({ ...base, type: "message_status", payload: { messageId: message.id, status: message.status } });
    } else {
      await record({ ...base, type: "message_updated", payload: { message: toMessageDto(message) } });
    }
  }
}
