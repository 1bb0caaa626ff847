import { SubmitButton } from "@/components/ui/submit-button";
import { facebookSignInAction } from "./actions";

export function FacebookButton({ next }: { next: string }) {
  return (
    <form action={facebookSignInAction}>
      <input type="hidden" name="next" value={next} />
      <SubmitButton pendingLabel="Opening Facebook…" variant="secondary" className="w-full">
        <svg aria-hidden viewBox="0 0 24 24" className="size-4 fill-[#1877F2]">
          <path d="M24 12a12 12 0 1 0-13.9 11.9v-8.4h-3V12h3V9.4c0-3 1.8-4.7 4.5-4.7 1.3 0 2.7.2 2.7.2v3h-1.5c-1.5 0-2 .9-2 1.9V12h3.4l-.5 3.5h-2.9v8.4A12 12 0 0 0 24 12z" />
        </svg>
        Continue with Facebook
      </SubmitButton>
    </form>
  );
}
