import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { findPlatformAccount } from "@/db/queries/platform-accounts";
import { contacts } from "@/db/schema";
import { withAccountToken } from "@/lib/platforms/account-token";
import { graph } from "@/lib/platforms/meta/graph";

interface Profile {
  name?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  profile_pic?: string;
}

/**
 * Messenger and Instagram webhooks carry only a scoped id; the person's name and picture come from
 * the User Profile API. WhatsApp sends the profile name with every message, so it needs nothing here.
 */
export async function fetchContactProfile(db: Database, params: { contactId: string }): Promise<boolean> {
  const [contact] = await db.select().from(contacts).where(eq(contacts.id, params.contactId)).limit(1);
  if (!contact || contact.platform === "whatsapp") return false;
  const account = await findPlatformAccount(db, { id: contact.platformAccountId });
  if (!account || account.status !== "active") return false;
  // Messenger User Profile API / Instagram User Profile — developers.facebook.com/docs/messenger-platform/identity/user-profile
  const fields = contact.platform === "instagram" ? "name,username,profile_pic" : "first_name,last_name,name,profile_pic";
  const profile = await withAccountToken(db, account, (token) =>
    graph<Profile>({ path: contact.externalId, token, query: { fields } }),
  );
  const name = profile.name ?? ([profile.first_name, profile.last_name].filter(Boolean).join(" ") || null);
  await db
    .update(contacts)
    .set({
      name: name ?? contact.name,
      username: profile.username ?? contact.username,
      avatarUrl: profile.profile_pic ?? contact.avatarUrl,
    })
    .where(eq(contacts.id, contact.id));
  return true;
}
