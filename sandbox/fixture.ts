import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// The fixture describes the Meta world the sandbox plays: one Facebook user, the Pages they manage
// (each optionally linked to an Instagram professional account), WhatsApp Business accounts with
// their phone numbers, and customers with 30 days of history. Times are relative (`minutesAgo`) so a
// demo always looks fresh; ids are fixed so re-importing the same history is idempotent.

export const PLATFORMS = ["messenger", "instagram", "whatsapp"] as const;
export type Platform = (typeof PLATFORMS)[number];

const numericId = z.string().regex(/^\d{5,20}$/, "must be a numeric Meta id (5–20 digits)");
const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

const attachmentSchema = z
  .object({
    type: z.enum(["image", "audio", "video", "file", "sticker", "location", "contacts"]),
    /** A name from the sandbox's sample media (photo.png, voice.wav, menu.pdf, clip.mp4, sticker.png) or any URL. */
    sample: z.string().optional(),
    caption: z.string().optional(),
    filename: z.string().optional(),
    voice: z.boolean().optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    name: z.string().optional(),
    address: z.string().optional(),
    contact: z.object({ name: z.string(), phone: z.string() }).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.type === "location" && (value.latitude === undefined || value.longitude === undefined))
      ctx.addIssue({ code: "custom", message: "a location needs latitude and longitude" });
    if (value.type === "contacts" && !value.contact)
      ctx.addIssue({ code: "custom", message: "a contacts attachment needs contact" });
  });

const historyMessageSchema = z
  .object({
    minutesAgo: z
      .number()
      .nonnegative()
      .max(60 * 24 * 400),
    from: z.enum(["customer", "business"]),
    text: z.string().min(1).max(4096).optional(),
    attachment: attachmentSchema.optional(),
    /** Business messages only: "native" were typed in Meta's own apps (Page inbox, Instagram app). */
    sentFrom: z.enum(["app", "native"]).optional(),
    /** Business messages only: has the customer read it (drives read receipts and statuses). */
    read: z.boolean().optional(),
  })
  .strict()
  .refine((value) => value.text !== undefined || value.attachment !== undefined, "a message needs text or an attachment");

const customerSchema = z
  .object({
    platform: z.enum(PLATFORMS),
    /** Page id (messenger), Instagram account id (instagram) or phone_number_id (whatsapp); default: the first of that platform. */
    account: numericId.optional(),
    /** PSID, IGSID or wa_id. */
    id: numericId,
    name: z.string().min(1),
    username: z.string().optional(),
    profilePic: url.optional(),
    locale: z.string().optional(),
    history: z.array(historyMessageSchema).default([]),
  })
  .strict();

const templateSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_]+$/, "template names are lowercase letters, digits and underscores"),
    language: z.string().min(2),
    category: z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"]).default("UTILITY"),
    body: z.string().min(1),
  })
  .strict();

export const fixtureSchema = z
  .object({
    app: z
      .object({ name: z.string().min(1) })
      .strict()
      .default({ name: "Chats (sandbox)" }),
    user: z.object({ id: numericId, name: z.string().min(1), email: z.email() }).strict(),
    pages: z
      .array(
        z
          .object({
            id: numericId,
            name: z.string().min(1),
            category: z.string().min(1),
            tasks: z.array(z.string()).default(["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"]),
            instagram: z
              .object({
                id: numericId,
                username: z.string().regex(/^[a-z0-9._]{1,30}$/, "must be an Instagram username"),
                name: z.string().min(1),
                profilePictureUrl: url.optional(),
                followersCount: z.number().int().nonnegative().default(0),
              })
              .strict()
              .optional(),
          })
          .strict(),
      )
      .default([]),
    whatsapp: z
      .array(
        z
          .object({
            id: numericId,
            name: z.string().min(1),
            currency: z.string().length(3).default("USD"),
            timezoneId: z.string().default("1"),
            /** A fixed system-user token; when absent one is derived from the app secret. */
            accessToken: z.string().min(20).optional(),
            templates: z.array(templateSchema).default([]),
            phoneNumbers: z
              .array(
                z
                  .object({
                    id: numericId,
                    displayPhoneNumber: z.string().regex(/^\+?[\d\s-]{7,20}$/, "must be a phone number"),
                    verifiedName: z.string().min(1),
                    qualityRating: z.enum(["GREEN", "YELLOW", "RED", "UNKNOWN"]).default("GREEN"),
                  })
                  .strict(),
              )
              .min(1),
          })
          .strict(),
      )
      .default([]),
    customers: z.array(customerSchema).default([]),
  })
  .strict()
  .superRefine((fixture, ctx) => {
    const seen = new Map<string, string>();
    const claim = (id: string, what: string, at: (string | number)[]) => {
      const previous = seen.get(id);
      if (previous) ctx.addIssue({ code: "custom", path: at, message: `id ${id} is already used by ${previous}` });
      else seen.set(id, what);
    };
    fixture.pages.forEach((page, i) => {
      claim(page.id, `page ${page.name}`, ["pages", i, "id"]);
      if (page.instagram)
        claim(page.instagram.id, `Instagram account ${page.instagram.username}`, ["pages", i, "instagram", "id"]);
    });
    fixture.whatsapp.forEach((waba, i) => {
      claim(waba.id, `WhatsApp Business account ${waba.name}`, ["whatsapp", i, "id"]);
      waba.phoneNumbers.forEach((phone, j) =>
        claim(phone.id, `phone number ${phone.displayPhoneNumber}`, ["whatsapp", i, "phoneNumbers", j, "id"]),
      );
    });
    const accounts: Record<Platform, string[]> = {
      messenger: fixture.pages.map((page) => page.id),
      instagram: fixture.pages.flatMap((page) => (page.instagram ? [page.instagram.id] : [])),
      whatsapp: fixture.whatsapp.flatMap((waba) => waba.phoneNumbers.map((phone) => phone.id)),
    };
    const customerIds = new Set<string>();
    fixture.customers.forEach((customer, i) => {
      const key = `${customer.platform}:${customer.id}`;
      if (customerIds.has(key))
        ctx.addIssue({
          code: "custom",
          path: ["customers", i, "id"],
          message: `${customer.platform} customer ${customer.id} appears twice`,
        });
      customerIds.add(key);
      const candidates = accounts[customer.platform];
      if (customer.account ? !candidates.includes(customer.account) : candidates.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["customers", i, "account"],
          message: customer.account
            ? `no ${customer.platform} account ${customer.account} in the fixture`
            : `the fixture has no ${customer.platform} account for this customer`,
        });
      customer.history.forEach((message, j) => {
        const at = ["customers", i, "history", j];
        if (message.from === "customer" && (message.sentFrom || message.read !== undefined))
          ctx.addIssue({ code: "custom", path: at, message: "sentFrom and read describe business messages only" });
        const type = message.attachment?.type;
        if (customer.platform !== "whatsapp" && (type === "location" || type === "contacts"))
          ctx.addIssue({
            code: "custom",
            path: [...at, "attachment", "type"],
            message: `${type} messages exist on WhatsApp only`,
          });
      });
    });
  });

export type FixtureInput = z.input<typeof fixtureSchema>;
export type Fixture = z.output<typeof fixtureSchema>;
export type FixtureCustomer = Fixture["customers"][number];
export type FixtureHistoryMessage = FixtureCustomer["history"][number];
export type FixtureAttachment = NonNullable<FixtureHistoryMessage["attachment"]>;

export class FixtureError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid sandbox fixture (${source}):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "FixtureError";
  }
}

export const DEFAULT_FIXTURE_PATH = path.join(import.meta.dirname, "fixtures", "default.json");

/** Validates a fixture given as an object or a JSON file path; throws FixtureError naming each bad field. */
export function loadFixture(input: unknown = DEFAULT_FIXTURE_PATH): Fixture {
  let source = "object";
  let raw = input;
  if (typeof input === "string") {
    source = input;
    let text: string;
    try {
      text = fs.readFileSync(input, "utf8");
    } catch (error) {
      throw new FixtureError(source, [`cannot read the file: ${(error as Error).message}`]);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new FixtureError(source, [`not valid JSON: ${(error as Error).message}`]);
    }
  }
  const result = fixtureSchema.safeParse(raw);
  if (!result.success)
    throw new FixtureError(
      source,
      result.error.issues.map((issue) => `${issue.path.length ? formatPath(issue.path) : "(root)"}: ${issue.message}`),
    );
  return result.data;
}

function formatPath(parts: PropertyKey[]): string {
  return parts.reduce<string>(
    (out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
    "",
  );
}
