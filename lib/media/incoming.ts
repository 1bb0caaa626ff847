import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { findPlatformAccount } from "@/db/queries/platform-accounts";
import { messages, type Attachment } from "@/db/schema";
import type { Logger } from "@/lib/logger";
import { toMessageDto } from "@/lib/messaging/serialize";
import { mediaStore } from "@/lib/media/storage";
import { withAccountToken } from "@/lib/platforms/account-token";
import { graph } from "@/lib/platforms/meta/graph";
import { withRealtime } from "@/lib/realtime/publish";

// Meta's media URLs expire within minutes, so incoming media is copied into our storage right after
// ingest and served from there (through a route that checks tenancy).

export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;
const STORABLE = new Set(["image", "video", "audio", "file", "sticker"]);

async function download(url: string, token?: string): Promise<{ bytes: Uint8Array; contentType: string }> {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok || !response.body) throw new Error(`media download answered HTTP ${response.status}`);
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_MEDIA_BYTES)
    throw new Error(`media of ${declared} bytes is over the ${MAX_MEDIA_BYTES}-byte limit`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_MEDIA_BYTES) {
      await reader.cancel();
      throw new Error("media is over the size limit");
    }
    chunks.push(value);
  }
  return {
    bytes: Buffer.concat(chunks),
    contentType: response.headers.get("content-type")?.split(";")[0]?.trim() || "application/octet-stream",
  };
}

/** Copies every not-yet-stored attachment of a message; returns how many were stored. */
export async function storeIncomingMedia(db: Database, params: { messageId: string }, log: Logger): Promise<number> {
  const [message] = await db.select().from(messages).where(eq(messages.id, params.messageId)).limit(1);
  if (!message || message.deletedAt) return 0;
  const todo = message.attachments
    .map((attachment, index) => ({ attachment, index }))
    .filter(
      ({ attachment }) => STORABLE.has(attachment.type) && !attachment.storageKey && (attachment.url || attachment.mediaId),
    );
  if (todo.length === 0) return 0;
  const account = await findPlatformAccount(db, { id: message.platformAccountId });
  if (!account) return 0;

  const stored = new Map<number, Attachment>();
  for (const { attachment, index } of todo) {
    const { bytes, contentType } = await withAccountToken(db, account, async (token) => {
      if (attachment.mediaId) {
        // WhatsApp: the media id gives a short-lived URL that itself needs the token.
        // developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url
        const info = await graph<{ url: string; mime_type?: string }>({ path: attachment.mediaId, token });
        return download(info.url, token);
      }
      return download(attachment.url ?? "");
    });
    const sha = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
    const key = `${message.workspaceId}/${message.id}/${index}-${sha}`;
    await mediaStore().put(key, bytes, attachment.mimeType ?? contentType);
    stored.set(index, { ...attachment, storageKey: key, mimeType: attachment.mimeType ?? contentType, size: bytes.byteLength });
  }

  await withRealtime(db, async (tx, record) => {
    // Re-read under lock: a reaction or edit may have changed the row meanwhile.
    const [current] = await tx.select().from(messages).where(eq(messages.id, message.id)).for("update");
    if (!current) return;
    const attachments = current.attachments.map((attachment, index) => stored.get(index) ?? attachment);
    const [updated] = await tx.update(messages).set({ attachments }).where(eq(messages.id, message.id)).returning();
    if (updated)
      await record({
        workspaceId: updated.workspaceId,
        conversationId: updated.conversationId,
        type: "message_updated",
        payload: { message: toMessageDto(updated) },
      });
  });
  log.debug({ messageId: message.id, count: stored.size }, "incoming media stored");
  return stored.size;
}
