import "server-only";
import type { Contact, Message, PlatformAccount } from "@/db/schema";
import { graph } from "@/lib/platforms/meta/graph";

// The platforms' send endpoints, one request shape each. Returns the platform's message id.

const messengerAttachmentType: Record<string, string> = { image: "image", video: "video", audio: "audio", file: "file" };
const whatsappMediaType: Record<string, string> = { image: "image", video: "video", audio: "audio", file: "document" };

function metaBody(message: Message, contact: Contact): Record<string, unknown> {
  const attachment = message.attachments[0];
  const content = attachment
    ? {
        attachment: {
          type: messengerAttachmentType[attachment.type] ?? "file",
          payload: { url: attachment.url, is_reusable: true },
        },
      }
    : { text: message.text ?? "" };
  // RESPONSE: a reply inside the 24-hour standard messaging window.
  return { recipient: { id: contact.externalId }, messaging_type: "RESPONSE", message: content };
}

function whatsappBody(message: Message, contact: Contact): Record<string, unknown> {
  const base = { messaging_product: "whatsapp", recipient_type: "individual", to: contact.externalId };
  const template = message.payload?.template as { name: string; language: string; components?: unknown[] } | undefined;
  if (message.type === "template" && template) {
    return {
      ...base,
      type: "template",
      template: {
        name: template.name,
        language: { code: template.language },
        ...(template.components ? { components: template.components } : {}),
      },
    };
  }
  const attachment = message.attachments[0];
  if (attachment) {
    const type = whatsappMediaType[attachment.type] ?? "document";
    return {
      ...base,
      type,
      [type]: { link: attachment.url, ...(type === "document" && attachment.name ? { filename: attachment.name } : {}) },
    };
  }
  return { ...base, type: "text", text: { preview_url: true, body: message.text ?? "" } };
}

export async function callSendApi(account: PlatformAccount, contact: Contact, message: Message, token: string): Promise<string> {
  if (account.platform === "whatsapp") {
    // Cloud API Messages — developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
    const result = await graph<{ messages?: { id: string }[] }>({
      method: "POST",
      path: `${account.externalId}/messages`,
      token,
      body: whatsappBody(message, contact),
    });
    const id = result.messages?.[0]?.id;
    if (!id) throw new Error("WhatsApp accepted the message without giving its id");
    return id;
  }
  // Send API (Messenger) / Instagram Messaging: both post to the Page's messages edge with its token.
  // developers.facebook.com/docs/messenger-platform/reference/send-api
  const result = await graph<{ message_id?: string }>({
    method: "POST",
    path: `${account.pageId ?? account.externalId}/messages`,
    token,
    body: metaBody(message, contact),
  });
  if (!result.message_id) throw new Error("Meta accepted the message without giving its id");
  return result.message_id;
}
