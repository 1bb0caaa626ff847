import type { SandboxContext } from "./context";
import { defaultSpecs, graphTime, paginate, project, serializeFields, type FieldSpec, type Resolver } from "./fields";
import type { Fixture } from "./fixture";
import type { Account, Customer, MediaObject, StoredMessage, Thread } from "./state";
import { issueToken, type TokenClaims } from "./tokens";

// Node shapes of the Graph API reference pages: User, Page, IG User, Conversation, Message, WhatsApp
// Business Phone Number, WhatsApp Business Account, Media (developers.facebook.com/docs/graph-api/reference).

type PageFixture = Fixture["pages"][number];

export interface NodeEnv {
  ctx: SandboxContext;
  /** For `paging.next` links: version prefix and access token the caller used. */
  version: string;
  accessToken: string;
}

const idOnly =
  (id: string): Resolver =>
  () =>
    id;

function nextLink(env: NodeEnv, path: string, extra: Record<string, string>) {
  return (params: Record<string, string>) => {
    const url = new URL(`${env.ctx.publicUrl}${env.version ? `/${env.version}` : ""}${path}`);
    for (const [key, value] of Object.entries({ ...extra, ...params, access_token: env.accessToken }))
      url.searchParams.set(key, value);
    return url.toString();
  };
}

export function userNode(env: NodeEnv, requested: FieldSpec[] | null): Record<string, unknown> {
  const user = env.ctx.fixture.user;
  const [first = user.name, ...rest] = user.name.split(" ");
  return project(
    "User",
    {
      id: idOnly(user.id),
      name: () => user.name,
      email: () => user.email,
      first_name: () => first,
      last_name: () => rest.join(" "),
      short_name: () => first,
      picture: () => ({
        data: { height: 50, is_silhouette: false, url: `${env.ctx.publicUrl}/_sandbox/media/photo.png`, width: 50 },
      }),
    },
    requested,
    ["name", "id"],
  );
}

/** A Page as /me/accounts and /{page-id} return it; `access_token` only for the user who manages it. */
export function pageNode(
  env: NodeEnv,
  page: PageFixture,
  requested: FieldSpec[] | null,
  user: TokenClaims | null,
  defaults: string[],
) {
  const ctx = env.ctx;
  return project(
    "Page",
    {
      id: idOnly(page.id),
      name: () => page.name,
      category: () => page.category,
      category_list: () => [{ id: "128673187201735", name: page.category }],
      tasks: () => page.tasks,
      link: () => `https://www.facebook.com/${page.id}`,
      picture: () => ({
        data: { height: 50, is_silhouette: false, url: `${ctx.publicUrl}/_sandbox/media/photo.png`, width: 50 },
      }),
      access_token: () => {
        if (!user) return undefined;
        // Through a long-lived user token the Page token never expires; otherwise it lives as long as the user token.
        if (user.longLived) return ctx.pageToken(page.id);
        return issueToken(ctx.options.appSecret, { ...user, kind: "page", subject: page.id });
      },
      instagram_business_account: (spec) => (page.instagram ? instagramNode(env, page, spec.children, ["id"]) : undefined),
      connected_instagram_account: (spec) => (page.instagram ? instagramNode(env, page, spec.children, ["id"]) : undefined),
    },
    requested,
    defaults,
  );
}

export function instagramNode(env: NodeEnv, page: PageFixture, requested: FieldSpec[] | null, defaults = ["id"]) {
  const ig = page.instagram;
  if (!ig) return {};
  return project(
    "IGUser",
    {
      id: idOnly(ig.id),
      ig_id: () => Number(ig.id.slice(-10)),
      username: () => ig.username,
      name: () => ig.name,
      profile_picture_url: () => ig.profilePictureUrl ?? `${env.ctx.publicUrl}/_sandbox/media/photo.png`,
      followers_count: () => ig.followersCount,
    },
    requested,
    defaults,
  );
}

/** Messenger User Profile API / Instagram User Profile API for one customer (page token). */
export function customerNode(env: NodeEnv, customer: Customer, requested: FieldSpec[] | null) {
  const [first = customer.name, ...rest] = customer.name.split(" ");
  const pic = customer.profilePic ?? `${env.ctx.publicUrl}/_sandbox/media/photo.png`;
  if (customer.platform === "instagram")
    return project(
      "InstagramUser",
      {
        id: idOnly(customer.id),
        name: () => customer.name,
        username: () => customer.username ?? undefined,
        profile_pic: () => pic,
        follower_count: () => 120,
        is_user_follow_business: () => true,
        is_business_follow_user: () => false,
        is_verified_user: () => false,
      },
      requested,
      ["name", "username", "profile_pic", "id"],
    );
  return project(
    "User",
    {
      id: idOnly(customer.id),
      name: () => customer.name,
      first_name: () => first,
      last_name: () => rest.join(" "),
      profile_pic: () => pic,
      locale: () => customer.locale ?? undefined,
    },
    requested,
    ["first_name", "last_name", "profile_pic", "id"],
  );
}

function participant(account: Account, customer: Customer | null, who: "customer" | "business") {
  if (account.platform === "instagram")
    return who === "customer"
      ? { username: customer?.username ?? customer?.name ?? "", id: customer?.id ?? "" }
      : { username: account.username ?? "", id: account.id };
  return who === "customer"
    ? { name: customer?.name ?? "", email: `${customer?.id ?? ""}@facebook.com`, id: customer?.id ?? "" }
    : { name: account.name, email: `${account.id}@facebook.com`, id: account.id };
}

export function visibleMessages(thread: Thread): StoredMessage[] {
  return thread.messages.filter((message) => !message.deleted).reverse();
}

/** A Conversation node (Conversations API); `messages` is an edge with its own paging. */
export function conversationNode(env: NodeEnv, thread: Thread, requested: FieldSpec[] | null) {
  const ctx = env.ctx;
  const account = ctx.state.accounts.get(thread.accountId);
  const customer = ctx.state.customer(thread.platform, thread.customerId) ?? null;
  if (!account) return {};
  const messages = visibleMessages(thread);
  const last = messages[0];
  return project(
    "Conversation",
    {
      id: idOnly(thread.id),
      updated_time: () => graphTime(last?.timestamp ?? 0),
      message_count: () => messages.length,
      unread_count: () => messages.filter((message) => message.from === "customer" && !message.seenByBusiness).length,
      snippet: () => last?.text ?? "",
      can_reply: () => thread.lastCustomerAt !== null && ctx.nowMs() - thread.lastCustomerAt < 24 * 60 * 60 * 1000,
      link: () => (account.platform === "messenger" ? `/${account.id}/inbox/${thread.id}` : undefined),
      participants: () => ({ data: [participant(account, customer, "customer"), participant(account, customer, "business")] }),
      senders: () => ({ data: [participant(account, customer, "customer"), participant(account, customer, "business")] }),
      messages: (spec) => {
        const children = spec.children ?? defaultSpecs(["id", "created_time"]);
        const page = paginate(
          messages,
          { limit: spec.limit ?? 25 },
          nextLink(env, `/${thread.id}/messages`, { fields: serializeFields(children) }),
        );
        return { ...page, data: page.data.map((message) => messageNode(env, message, children)) };
      },
    },
    requested,
    ["updated_time", "id"],
  );
}

/** A Message node (Conversations API "Get message details"). */
export function messageNode(env: NodeEnv, message: StoredMessage, requested: FieldSpec[] | null) {
  const ctx = env.ctx;
  const account = ctx.state.accounts.get(message.accountId);
  const customer = ctx.state.customer(message.platform, message.customerId) ?? null;
  if (!account) return {};
  const sender = participant(account, customer, message.from);
  const recipient = participant(account, customer, message.from === "customer" ? "business" : "customer");
  const files = message.attachments.filter((attachment) => ["image", "video", "audio", "file"].includes(attachment.type));
  return project(
    "Message",
    {
      id: idOnly(message.id),
      created_time: () => graphTime(message.timestamp),
      from: () => sender,
      to: () => ({ data: [recipient] }),
      message: () => message.text ?? "",
      is_unsupported: () => false,
      sticker: () => message.attachments.find((attachment) => attachment.type === "sticker")?.url ?? undefined,
      attachments: () =>
        files.length
          ? {
              data: files.map((attachment, index) => {
                const base = {
                  id: `${message.id.slice(-12)}${index}`,
                  mime_type: attachment.mimeType ?? "application/octet-stream",
                  name: attachment.name ?? `${attachment.type}-${index + 1}`,
                  size: attachment.size ?? 0,
                };
                if (attachment.type === "image")
                  return {
                    ...base,
                    image_data: {
                      width: 48,
                      height: 48,
                      max_width: 48,
                      max_height: 48,
                      url: attachment.url,
                      preview_url: attachment.url,
                    },
                  };
                if (attachment.type === "video")
                  return {
                    ...base,
                    video_data: {
                      width: 48,
                      height: 48,
                      length: 1,
                      video_type: 0,
                      url: attachment.url,
                      preview_url: attachment.url,
                    },
                  };
                return { ...base, file_url: attachment.url };
              }),
            }
          : undefined,
      shares: () => {
        const shares = message.attachments.filter((attachment) => attachment.type === "share" || attachment.type === "fallback");
        return shares.length ? { data: shares.map((share) => ({ link: share.url, name: share.title ?? share.url })) } : undefined;
      },
      story: () => {
        if (message.type === "story_reply" && message.payload) {
          const story = message.payload.story as { url: string; id: string };
          return { reply_to: { link: story.url, id: story.id } };
        }
        const mention = message.attachments.find((attachment) => attachment.type === "story_mention");
        return mention ? { mention: { link: mention.url, id: message.id.slice(-17) } } : undefined;
      },
      reactions: () =>
        message.reactions.length
          ? {
              data: message.reactions.map((reaction) => ({
                reaction: reaction.emoji,
                users: [participant(account, customer, reaction.from)],
              })),
            }
          : undefined,
    },
    requested,
    ["id", "created_time"],
  );
}

export function phoneNumberNode(env: NodeEnv, account: Account, requested: FieldSpec[] | null) {
  const phone = env.ctx.fixture.whatsapp.flatMap((waba) => waba.phoneNumbers).find((candidate) => candidate.id === account.id);
  return project(
    "WhatsAppBusinessPhoneNumber",
    {
      id: idOnly(account.id),
      display_phone_number: () => account.displayPhoneNumber ?? "",
      verified_name: () => phone?.verifiedName ?? account.name,
      quality_rating: () => phone?.qualityRating ?? "GREEN",
      code_verification_status: () => "VERIFIED",
      name_status: () => "APPROVED",
      platform_type: () => "CLOUD_API",
      throughput: () => ({ level: "STANDARD" }),
      messaging_limit_tier: () => "TIER_1K",
      status: () => "CONNECTED",
      is_official_business_account: () => false,
    },
    requested,
    ["verified_name", "code_verification_status", "display_phone_number", "quality_rating", "platform_type", "throughput", "id"],
  );
}

export function wabaNode(env: NodeEnv, waba: Fixture["whatsapp"][number], requested: FieldSpec[] | null) {
  return project(
    "WhatsAppBusinessAccount",
    {
      id: idOnly(waba.id),
      name: () => waba.name,
      currency: () => waba.currency,
      timezone_id: () => waba.timezoneId,
      message_template_namespace: () => `sandbox_${waba.id.slice(-8)}`,
      account_review_status: () => "APPROVED",
    },
    requested,
    ["id", "name", "currency", "timezone_id", "message_template_namespace"],
  );
}

/** WhatsApp "Retrieve Media URL": the URL is short-lived and needs the same bearer token to download. */
export function mediaNode(env: NodeEnv, media: MediaObject) {
  const url = new URL(`${env.ctx.publicUrl}/whatsapp_business/attachments/`);
  url.searchParams.set("mid", media.id);
  url.searchParams.set("ext", String(Math.floor(env.ctx.nowMs() / 1000) + 300));
  url.searchParams.set("hash", media.sha256.slice(0, 22));
  return {
    url: url.toString(),
    mime_type: media.mimeType,
    sha256: media.sha256,
    file_size: media.size,
    id: media.id,
    messaging_product: "whatsapp",
  };
}
