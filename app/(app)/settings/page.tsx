import type { Metadata } from "next";
import { getCurrentWorkspace, requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  const { all } = await getCurrentWorkspace(user.id);
  return (
    <div>
      <section className="rounded-xl border border-slate-200 bg-white p-6" aria-labelledby="account-heading">
        <h2 id="account-heading" className="font-semibold">
          Your account
        </h2>
        <dl className="mt-4 grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Name</dt>
          <dd>{user.name ?? "—"}</dd>
          <dt className="text-slate-500">Email</dt>
          <dd>{user.email}</dd>
        </dl>
      </section>
      <section className="mt-6 rounded-xl border border-slate-200 bg-white p-6" aria-labelledby="workspaces-heading">
        <h2 id="workspaces-heading" className="font-semibold">
          Workspaces
        </h2>
        <ul className="mt-4 divide-y divide-slate-100 text-sm">
          {all.map((workspace) => (
            <li key={workspace.id} className="flex items-center justify-between py-2">
              <span>{workspace.name}</span>
              <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs capitalize text-slate-600">{workspace.role}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
