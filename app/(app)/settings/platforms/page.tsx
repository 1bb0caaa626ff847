import type { Metadata } from "next";
import { ConnectWhatsAppSection } from "@/components/platforms/connect-whatsapp-section";
import { MetaConnectButton } from "@/components/platforms/connect-panel";
import { PlatformCard } from "@/components/platforms/platform-card";
import { FormAlert } from "@/components/ui/form-alert";
import { getDb } from "@/db/client";
import { listPlatformAccountsForUser } from "@/db/queries/platform-accounts";
import { getCurrentWorkspace, requireUser } from "@/lib/auth/session";
import { toPlatformDto } from "@/lib/platforms/dto";

export const metadata: Metadata = { title: "Platforms" };

export default async function PlatformsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requireUser("/settings/platforms");
  const { current } = await getCurrentWorkspace(user.id);
  const params = await searchParams;
  const accounts = (await listPlatformAccountsForUser(getDb(), { userId: user.id, workspaceId: current.id })).map(toPlatformDto);
  const live = accounts.filter((account) => account.status !== "disconnected");
  const past = accounts.filter((account) => account.status === "disconnected");
  const canManage = current.role !== "agent";
  const connected = Number(params.connected ?? 0);

  return (
    <div className="space-y-8">
      <div className="space-y-2" aria-live="polite">
        {params.error ? <FormAlert message={params.error} /> : null}
        {connected > 0 ? (
          <FormAlert
            tone="success"
            message={`${connected} account${connected === 1 ? "" : "s"} connected. Their history is being imported.`}
          />
        ) : null}
        {params.skipped ? <FormAlert message={`Not connected: ${params.skipped}`} /> : null}
      </div>

      <section aria-labelledby="connected-heading">
        <h2 id="connected-heading" className="font-semibold">
          Connected accounts
        </h2>
        {live.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">
            Nothing is connected yet. Connect a Facebook Page, an Instagram professional account or a WhatsApp number below.
          </p>
        ) : (
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">
            {live.map((account) => (
              <PlatformCard key={account.id} account={account} />
            ))}
          </ul>
        )}
      </section>

      {canManage ? (
        <section aria-labelledby="connect-heading" className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="connect-heading" className="font-semibold">
            Connect a platform
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            Messenger and Instagram connect through Meta; you choose the Pages to share there.
          </p>
          <div className="mt-4 grid gap-2 sm:grid-cols-2">
            <MetaConnectButton platform="messenger" workspaceId={current.id} label="Connect Messenger" />
            <MetaConnectButton platform="instagram" workspaceId={current.id} label="Connect Instagram" />
          </div>
          <ConnectWhatsAppSection workspaceId={current.id} />
        </section>
      ) : (
        <p className="text-sm text-slate-600">Ask an owner or admin of {current.name} to connect platforms.</p>
      )}

      {past.length > 0 ? (
        <section aria-labelledby="past-heading">
          <h2 id="past-heading" className="font-semibold text-slate-700">
            Disconnected (history kept)
          </h2>
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">
            {past.map((account) => (
              <PlatformCard key={account.id} account={account} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
