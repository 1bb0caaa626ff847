// What each connect asks Meta for, and which webhook fields a connected page is subscribed to.

// Messenger Platform permissions (Pages API + messaging) — developers.facebook.com/docs/messenger-platform/overview
export const MESSENGER_SCOPES = [
  "pages_show_list",
  "pages_messaging",
  "pages_manage_metadata",
  "pages_read_engagement",
  "business_management",
];

// Instagram Messaging via Facebook Login — developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login
export const INSTAGRAM_SCOPES = [
  "instagram_basic",
  "instagram_manage_messages",
  "pages_show_list",
  "pages_manage_metadata",
  "pages_read_engagement",
  "business_management",
];

// Webhooks for Pages — the fields our parsers handle (lib/webhooks/parse).
export const PAGE_WEBHOOK_FIELDS = [
  "messages",
  "messaging_postbacks",
  "messaging_optins",
  "messaging_referrals",
  "message_deliveries",
  "message_reads",
  "message_echoes",
  "message_reactions",
  "message_edits",
];
