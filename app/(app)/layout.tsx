import type { ReactNode } from "react";
import { RealtimeProvider } from "@/components/realtime/realtime-provider";
import { NavLinks } from "@/components/shell/nav-links";
import { UserMenu } from "@/components/shell/user-menu";
import { ToastProvider } from "@/components/ui/toast";
import { getCurrentWorkspace, requireUser } from "@/lib/auth/session";
import { signOutAction } from "../(auth)/actions";

// The shell every signed-in page shares: sidebar on wide screens, top bar + bottom tabs on phones.
export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const { current } = await getCurrentWorkspace(user.id);
  return (
    <ToastProvider>
      <RealtimeProvider>
        <div className="flex h-dvh flex-col md:flex-row">
          <aside className="hidden w-60 shrink-0 flex-col border-r border-slate-200 bg-white md:flex">
            <div className="flex items-center gap-2 px-4 py-4">
              <img src="/icon.svg" alt="" width={28} height={28} />
              <div className="min-w-0">
                <p className="text-sm font-semibold">Chats</p>
                <p className="truncate text-xs text-slate-500" title={current.name} data-testid="workspace-name">
                  {current.name}
                </p>
              </div>
            </div>
            <nav aria-label="Main" className="flex-1 px-2">
              <NavLinks orientation="vertical" />
            </nav>
            <div className="border-t border-slate-200 p-3">
              <UserMenu name={user.name} email={user.email} signOut={signOutAction} />
            </div>
          </aside>
          <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-2 md:hidden">
            <div className="flex min-w-0 items-center gap-2">
              <img src="/icon.svg" alt="" width={24} height={24} />
              <p className="truncate text-sm font-semibold">{current.name}</p>
            </div>
            <UserMenu name={user.name} email={user.email} signOut={signOutAction} />
          </header>
          <main className="min-h-0 flex-1 overflow-auto">{children}</main>
          <nav aria-label="Main" className="border-t border-slate-200 bg-white py-1 md:hidden">
            <NavLinks orientation="horizontal" />
          </nav>
        </div>
      </RealtimeProvider>
    </ToastProvider>
  );
}
