import { z } from "zod";
import { getDb } from "@/db/client";
import { findMessageForUser } from "@/db/queries/messages";
import { withRoute } from "@/lib/api/with-route";
import { AppError } from "@/lib/errors";
import { mediaStore } from "@/lib/media/storage";

const params = z.object({ messageId: z.uuid(), index: z.coerce.number().int().min(0).max(50) });
// Shown inline only when it is plainly media; anything else downloads, never renders as a page.
const INLINE = /^(image\/(png|jpeg|gif|webp)|video\/(mp4|webm|quicktime)|audio\/(mpeg|ogg|mp4|aac|wav|webm|amr))$/;

// GET /api/media/{messageId}/{index} – our stored copy of a message's attachment, for members of its workspace
export const GET = withRoute({ auth: "required", scope: "media.get" }, async ({ params: raw, user }) => {
  const { messageId, index } = params.parse(raw);
  const message = await findMessageForUser(getDb(), { userId: user.id, id: messageId });
  const attachment = message?.attachments[index];
  if (!attachment?.storageKey) throw AppError.notFound("Media");
  const object = await mediaStore().get(attachment.storageKey);
  if (!object) throw AppError.notFound("Media");
  const inline = INLINE.test(object.contentType);
  const name = (attachment.name ?? `attachment-${index}`).replace(/[^\w.\- ]+/g, "_");
  return new Response(object.body, {
    headers: {
      "content-type": inline ? object.contentType : "application/octet-stream",
      ...(object.size !== null ? { "content-length": String(object.size) } : {}),
      "content-disposition": `${inline ? "inline" : "attachment"}; filename="${name}"`,
      "cache-control": "private, max-age=86400, immutable",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
});
