// The one line the conversation list shows for a message. The server stores it with the
// conversation; the browser computes the same line for a send it shows before the server answers,
// so this module stays free of server-only imports.

const typeLabels: Record<string, string> = {
  image: "Photo",
  video: "Video",
  audio: "Audio",
  file: "File",
  sticker: "Sticker",
  location: "Location",
  contact: "Contact",
  share: "Shared post",
  story_mention: "Mentioned you in their story",
  template: "Template",
  unsupported: "Unsupported message",
};

export interface PreviewSource {
  type: string;
  text: string | null;
  attachments: readonly unknown[];
  deletedAt: Date | string | null;
}

export function previewOf(message: PreviewSource): string {
  if (message.deletedAt) return "Message deleted";
  const text = message.text?.replace(/\s+/g, " ").trim();
  if (text) {
    // By code point, so an emoji is never cut in half.
    const chars = Array.from(text);
    return chars.length > 140 ? `${chars.slice(0, 139).join("")}…` : text;
  }
  const label = typeLabels[message.type] ?? (message.attachments[0] ? "Attachment" : "Message");
  return `[${label}]`;
}
