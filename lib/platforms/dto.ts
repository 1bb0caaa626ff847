import "server-only";
import type { PlatformAccount } from "@/db/schema";

/** API.md's `Platform`: never a token, not even encrypted. */
export interface PlatformDto {
  id: string;
  workspaceId: string;
  platform: PlatformAccount["platform"];
  externalId: string;
  name: string;
  username: string | null;
  pictureUrl: string | null;
  status: PlatformAccount["status"];
  statusReason: string | null;
  connectedAt: string;
  lastSyncedAt: string | null;
  tokenExpiresAt: string | null;
}

export function toPlatformDto(account: PlatformAccount): PlatformDto {
  return {
    id: account.id,
    workspaceId: account.workspaceId,
    platform: account.platform,
    externalId: account.externalId,
    name: account.name,
    username: account.username,
    pictureUrl: account.pictureUrl,
    status: account.status,
    statusReason: account.statusReason,
    connectedAt: account.connectedAt.toISOString(),
    lastSyncedAt: account.lastSyncedAt?.toISOString() ?? null,
    tokenExpiresAt: account.tokenExpiresAt?.toISOString() ?? null,
  };
}
