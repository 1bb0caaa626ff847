import "server-only";
import type { NextRequest } from "next/server";

export interface RequestUser {
  id: string;
  email: string;
  name: string | null;
}

/** Who is calling: the Auth.js session cookie or an `Authorization: Bearer` access token. */
export async function resolveRequestUser(_req: NextRequest): Promise<RequestUser | null> {
  // Sign-in lands with the accounts issue (#3); until then no request carries a user.
  return null;
}
