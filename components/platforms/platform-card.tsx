"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { PlatformDto } from "@/lib/platforms/dto";
import { MetaConnectButton } from "./connect-panel";
import { PlatformIcon, platformLabel } from "./platform-icon";

const statusStyles: Record<PlatformDto["status"], { label: string; className: string }> = {
  active: { label: "Active", className: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
  needs_reauth: { label: "Needs reconnect", className: "bg-amber-50 text-amber-800 ring-amber-200" },
  disconnected: { label: "Disconnected", className: "bg-slate-100 text-slate-600 ring-slate-200" },
};

function when(value: string | null, fallback: string) {
  return value ? new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : fallback;
}

export function PlatformCard({ account, syncing = false }: { account: PlatformDto; syncing?: boolean }) {
  const router = useRouter();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [purge, setPurge] = useState(false);
  const [busy, setBusy] = useState<"sync" | "disconnect" | null>(null);
  const status = statusStyles[account.status];

  async function sync() {
    setBusy("sync");
    try {
      await apiFetch(`/api/platforms/${account.id}/sync`, { method: "POST" });
      toast(`Syncing ${account.name}…`);
    } catch (error) {
      toast(error instanceof ApiError ? error.message : "Sync could not start.", "error");
    } finally {
      setBusy(null);
    }
  }

  async function disconnect() {
    setBusy("disconnect");
    try {
      await apiFetch(`/api/platforms/${account.id}${purge ? "?purge=true" : ""}`, { method: "DELETE" });
      setConfirming(false);
      toast(`${account.name} disconnected.`, "success");
      router.refresh();
    } catch (error) {
      toast(error instanceof ApiError ? error.message : "Could not disconnect.", "error");
    } finally {
      setBusy(null);
    }
  }

  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={`platform-card-${account.platform}`}>
      <div className="flex items-start gap-3">
        <PlatformIcon platform={account.platform} className="size-9 shrink-0" />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="truncate font-semibold">{account.name}</h3>
            <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${status.className}`}>{status.label}</span>
          </div>
          <p className="truncate text-sm text-slate-600">
            {platformLabel(account.platform)}
            {account.username ? ` · ${account.platform === "instagram" ? "@" : ""}${account.username}` : ""}
          </p>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-slate-500">
            <dt>Last sync</dt>
            <dd>
              {syncing
                ? "Syncing now…"
                : when(account.lastSyncedAt, account.platform === "whatsapp" ? "Messages arrive by webhook" : "Not yet")}
            </dd>
            <dt>Token expires</dt>
            <dd>{when(account.tokenExpiresAt, "Does not expire")}</dd>
          </dl>
          {account.status === "needs_reauth" && account.statusReason ? (
            <p className="mt-2 text-xs text-amber-800">{account.statusReason}</p>
          ) : null}
        </div>
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        {account.status === "needs_reauth" && account.platform !== "whatsapp" ? (
          <MetaConnectButton platform={account.platform} workspaceId={account.workspaceId} label="Reconnect" />
        ) : null}
        {account.status === "active" && account.platform !== "whatsapp" ? (
          <Button variant="secondary" onClick={sync} disabled={busy !== null || syncing}>
            {busy === "sync" || syncing ? "Syncing…" : "Sync now"}
          </Button>
        ) : null}
        {account.status !== "disconnected" ? (
          <Button variant="ghost" onClick={() => setConfirming(true)} disabled={busy !== null}>
            Disconnect
          </Button>
        ) : null}
      </div>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Disconnect ${account.name}?`}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={disconnect} disabled={busy === "disconnect"}>
              {busy === "disconnect" ? "Disconnecting…" : purge ? "Disconnect and delete history" : "Disconnect"}
            </Button>
          </>
        }
      >
        <p>
          New messages from this {platformLabel(account.platform)} account stop arriving and replies can no longer be sent. Its
          access token is deleted.
        </p>
        <p className="mt-2">
          Conversations and messages already in Chats stay readable and searchable, unless you delete them too.
        </p>
        <label className="mt-4 flex items-start gap-2">
          <input type="checkbox" checked={purge} onChange={(event) => setPurge(event.target.checked)} className="mt-0.5" />
          <span>Also delete all of its conversations and messages (cannot be undone)</span>
        </label>
      </Dialog>
    </li>
  );
}
