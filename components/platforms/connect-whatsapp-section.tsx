"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { WhatsAppConnectForm } from "./connect-panel";
import { PlatformIcon } from "./platform-icon";

export function ConnectWhatsAppSection({ workspaceId }: { workspaceId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="mt-4 border-t border-slate-100 pt-4">
      <Button variant="secondary" onClick={() => setOpen((value) => !value)} aria-expanded={open} className="justify-start">
        <PlatformIcon platform="whatsapp" decorative />
        Add a WhatsApp number
      </Button>
      {open ? (
        <div className="mt-4 max-w-md">
          <WhatsAppConnectForm workspaceId={workspaceId} onDone={() => setOpen(false)} />
        </div>
      ) : null}
    </div>
  );
}
