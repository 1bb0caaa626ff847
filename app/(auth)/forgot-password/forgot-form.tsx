"use client";

import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { forgotPasswordAction, type FormState } from "../actions";

export function ForgotForm() {
  const [state, action] = useActionState<FormState, FormData>(forgotPasswordAction, {});
  if (state.done) {
    return (
      <FormAlert
        tone="success"
        message={`If an account exists for ${state.values?.email ?? "that address"}, a link to reset its password is on its way. It works once, for 30 minutes.`}
      />
    );
  }
  return (
    <form action={action} noValidate className="space-y-4">
      <FormAlert message={state.error} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={state.fieldErrors?.email}
      />
      <SubmitButton pendingLabel="Sending…" className="w-full">
        Send reset link
      </SubmitButton>
    </form>
  );
}
