// Auth.js's own actions: browser sign-in/out, the Facebook OAuth callback, session and CSRF endpoints.
import { handlers } from "@/lib/auth";

export const { GET, POST } = handlers;
