import "server-only";
import type { Database } from "@/db/client";
import { findLiveByExternalId, upsertConnection } from "@/db/queries/platform-accounts";
import type { PlatformAccount } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { resolveWorkspace } from "@/lib/auth/workspace-access";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import { graphFailure } from "@/lib/platforms/account-token";
import { encryptToken } from "@/lib/platforms/crypto";
import { graph, graphPages } from "@/lib/platforms/meta/graph";
import { INSTAGRAM_SCOPES, MESSENGER_SCOPES, PAGE_WEBHOOK_FIELDS } from "@/lib/platforms/meta/scopes";
import { consumeConnectState, issueConnectState, type ConnectState } from "@/lib/platforms/oauth-state";
import { requestSync } from "@/lib/sync/request";

export const callbackUrl = () => new URL("/api/platforms/callback", env.APP_URL).toString();

/** The Meta OAuth dialog URL that starts a Messenger or Instagram connect for this user and workspace. */
export async function createConnectUrl(
  db: Database,
  params: { userId: string; workspaceId?: string; platform: ConnectState["platform"] },
): Promise<string> {
  const workspace = await resolveWorkspace(db, { userId: params.userId, workspaceId: params.workspaceId, minimumRole: "admin" });
  const state = await issueConnectState(db, { userId: params.userId, workspaceId: workspace.id, platform: params.platform });
  // Facebook Login, manual flow — developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
  const url = new URL(`${env.META_OAUTH_DIALOG_URL.replace(/\/+$/, "")}/${env.META_GRAPH_API_VERSION}/dialog/oauth`);
  url.searchParams.set("client_id", env.META_APP_ID ?? "");
  url.searchParams.set("redirect_uri", callbackUrl());
  url.searchParams.set("state", state);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", (params.platform === "instagram" ? INSTAGRAM_SCOPES : MESSENGER_SCOPES).join(","));
  return url.toString();
}

interface GraphPage {
  id: string;
  name: string;
  access_token?: string;
  picture?: { data?: { url?: string } };
  instagram_business_account?: { id: string; username?: string; name?: string; profile_picture_url?: string };
}

interface Candidate {
  platform: ConnectState["platform"];
  externalId: string;
  name: string;
  username: string | null;
  pictureUrl: string | null;
  pageId: string;
  token: string;
}

export interface ConnectResult {
  workspaceId: string;
  connected: PlatformAccount[];
  skipped: { externalId: string; name: string; reason: string }[];
}

/** The app access token (`{app-id}|{app-secret}`) that Graph's debug_token wants. */
export const appAccessToken = () => `${env.META_APP_ID}|${env.META_APP_SECRET}`;

export async function tokenExpiry(token: string): Promise<Date | null> {
  try {
    // Debug-Token — developers.facebook.com/docs/graph-api/reference/debug_token
    const info = await graph<{ data?: { expires_at?: number } }>({
      path: "debug_token",
      query: { input_token: token },
      token: appAccessToken(),
    });
    const expiresAt = info.data?.expires_at;
    return expiresAt ? new Date(expiresAt * 1000) : null;
  } catch {
    return null; // Expiry is informative; the connect does not depend on it.
  }
}

/**
 * The OAuth callback: spends the state, trades the code for a long-lived user token, and connects
 * every shared page (Messenger) or linked Instagram professional account (Instagram), subscribing
 * each page's webhooks and starting a history import. Pages live in another workspace are refused.
 */
export async function completeMetaConnect(
  db: Database,
  params: { userId: string; code: string; state: string; log: Logger },
): Promise<ConnectResult> {
  const state = await consumeConnectState(db, params.state, params.userId);
  const workspace = await resolveWorkspace(db, { userId: params.userId, workspaceId: state.workspaceId, minimumRole: "admin" });

  let pages: GraphPage[] = [];
  try {
    const short = await graph<{ access_token: string }>({
      path: "oauth/access_token",
      query: { client_id: env.META_APP_ID, client_secret: env.META_APP_SECRET, redirect_uri: callbackUrl(), code: params.code },
    });
    const long = await graph<{ access_token: string }>({
      path: "oauth/access_token",
      query: {
        grant_type: "fb_exchange_token",
        client_id: env.META_APP_ID,
        client_secret: env.META_APP_SECRET,
        fb_exchange_token: short.access_token,
      },
    });
    for await (const batch of graphPages<GraphPage>({
      path: "me/accounts",
      token: long.access_token,
      query: {
        fields: "id,name,access_token,picture{url},instagram_business_account{id,username,name,profile_picture_url}",
        limit: 100,
      },
    })) {
      pages.push(...batch);
    }
  } catch (error) {
    throw graphFailure(error, "Meta did not complete the connection");
  }
  pages = pages.filter((page) => page.access_token);

  const candidates: Candidate[] = pages.flatMap((page): Candidate[] => {
    const token = page.access_token ?? "";
    if (state.platform === "messenger") {
      return [
        {
          platform: "messenger",
          externalId: page.id,
          name: page.name,
          username: null,
          pictureUrl: page.picture?.data?.url ?? null,
          pageId: page.id,
          token,
        },
      ];
    }
    const ig = page.instagram_business_account;
    return ig
      ? [
          {
            platform: "instagram",
            externalId: ig.id,
            name: ig.name ?? ig.username ?? ig.id,
            username: ig.username ?? null,
            pictureUrl: ig.profile_picture_url ?? null,
            pageId: page.id,
            token,
          },
        ]
      : [];
  });
  if (candidates.length === 0) {
    throw new AppError(
      "platform_rejected",
      state.platform === "instagram"
        ? "No Instagram professional account linked to a Facebook Page was shared. Link one to a Page and try again."
        : "No Facebook Page was shared. Choose at least one Page in Meta's dialog.",
    );
  }

  const result: ConnectResult = { workspaceId: workspace.id, connected: [], skipped: [] };
  for (const candidate of candidates) {
    const live = await findLiveByExternalId(db, { platform: candidate.platform, externalId: candidate.externalId });
    if (live && live.workspaceId !== workspace.id) {
      result.skipped.push({
        externalId: candidate.externalId,
        name: candidate.name,
        reason: "It is already connected to another Chats workspace; disconnect it there first.",
      });
      continue;
    }
    try {
      // Webhooks for Pages — developers.facebook.com/docs/graph-api/webhooks/getting-started/webhooks-for-pages
      await graph({
        method: "POST",
        path: `${candidate.pageId}/subscribed_apps`,
        token: candidate.token,
        body: { subscribed_fields: PAGE_WEBHOOK_FIELDS.join(",") },
      });
    } catch (error) {
      params.log.warn({ err: error, page: candidate.pageId }, "webhook subscription failed during connect");
      result.skipped.push({
        externalId: candidate.externalId,
        name: candidate.name,
        reason: `Meta refused the webhook subscription: ${(error as Error).message}`,
      });
      continue;
    }
    const account = await upsertConnection(db, {
      workspaceId: workspace.id,
      platform: candidate.platform,
      externalId: candidate.externalId,
      name: candidate.name,
      username: candidate.username,
      pictureUrl: candidate.pictureUrl,
      pageId: candidate.pageId,
      businessAccountId: null,
      accessTokenCiphertext: encryptToken(candidate.token),
      tokenExpiresAt: await tokenExpiry(candidate.token),
      connectedByUserId: params.userId,
    });
    result.connected.push(account);
    await recordAudit(db, {
      action: "platform.connected",
      workspaceId: workspace.id,
      userId: params.userId,
      targetType: account.platform,
      targetId: account.externalId,
      details: { name: account.name },
    });
    await requestSync(account, "connect");
  }
  return result;
}
