"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { ApiError, apiFetch } from "@/lib/client/api";
import { PlatformIcon } from "./platform-icon";

/** Starts Meta's OAuth dialog for Messenger or Instagram (the browser leaves for Meta and comes back). */
export function MetaConnectButton({
  platform,
  workspaceId,
  label,
}: {
  platform: "messenger" | "instagram";
  workspaceId: string;
  label: string;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  async function start() {
    setPending(true);
    setError(undefined);
    try {
      const { authorizeUrl } = await apiFetch<{ authorizeUrl: string }>(`/api/platforms/${platform}/connect`, {
        body: { workspaceId },
      });
      window.location.assign(authorizeUrl);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not start the connection.");
      setPending(false);
    }
  }
  return (
    <div>
      <Button variant="secondary" onClick={start} disabled={pending} className="w-full justify-start">
        <PlatformIcon platform={platform} decorative />
        {pending ? "Opening Meta…" : label}
      </Button>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** WhatsApp Cloud API numbers connect with a system-user token, checked with Meta before storing. */
export function WhatsAppConnectForm({ workspaceId, onDone }: { workspaceId: string; onDone?: () => void }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    setFieldErrors({});
    try {
      await apiFetch("/api/platforms/whatsapp/connect", {
        body: {
          workspaceId,
          accessToken: String(form.get("accessToken") ?? ""),
          phoneNumberId: String(form.get("phoneNumberId") ?? ""),
          businessAccountId: String(form.get("businessAccountId") ?? ""),
        },
      });
      event.currentTarget?.reset();
      onDone?.();
      router.refresh();
    } catch (caught) {
      if (caught instanceof ApiError) {
        setFieldErrors(caught.fieldErrors());
        if (caught.status !== 400) setError(caught.message);
      } else {
        setError("Could not connect the number.");
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Connect WhatsApp">
      <FormAlert message={error} />
      <Field
        label="Phone number ID"
        name="phoneNumberId"
        inputMode="numeric"
        required
        autoComplete="off"
        error={fieldErrors.phoneNumberId}
        hint="In WhatsApp Manager → Phone numbers."
      />
      <Field
        label="WhatsApp Business Account ID"
        name="businessAccountId"
        inputMode="numeric"
        required
        autoComplete="off"
        error={fieldErrors.businessAccountId}
      />
      <Field
        label="Access token"
        name="accessToken"
        type="password"
        required
        autoComplete="off"
        error={fieldErrors.accessToken}
        hint="A system user token with whatsapp_business_messaging."
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Checking with Meta…" : "Connect WhatsApp"}
      </Button>
    </form>
  );
}
