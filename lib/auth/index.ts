import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import Facebook from "next-auth/providers/facebook";
import { getDb } from "@/db/client";
import { chatsAdapter } from "@/lib/auth/adapter";
import { authenticate } from "@/lib/auth/accounts";
import { authConfig } from "@/lib/auth/config";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientIp, enforceRateLimits, rateRules } from "@/lib/rate-limit";
import { loginSchema } from "@/lib/validations/auth";

class RateLimitedSignin extends CredentialsSignin {
  override code = "rate_limited";
}

// A function, so the configuration (and its secrets) is read at the first request, not at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const graph = `${env.META_GRAPH_API_URL}/${env.META_GRAPH_API_VERSION}`;
  return {
    ...authConfig,
    secret: env.AUTH_SECRET,
    adapter: chatsAdapter(),
    providers: [
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, request) {
          const input = loginSchema.safeParse(credentials);
          if (!input.success) return null;
          const db = getDb();
          try {
            await enforceRateLimits(db, [
              { rule: rateRules.loginPerIp, subject: clientIp(request.headers) },
              { rule: rateRules.loginPerEmail, subject: input.data.email },
            ]);
          } catch (error) {
            if (error instanceof AppError && error.code === "rate_limited") throw new RateLimitedSignin();
            throw error;
          }
          try {
            const client = { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") };
            const user = await authenticate(db, input.data, { via: "browser", client });
            return { id: user.id, email: user.email, name: user.name, image: user.image };
          } catch (error) {
            if (error instanceof AppError && error.code === "invalid_credentials") return null;
            throw error;
          }
        },
      }),
      // "Continue with Facebook": Meta's endpoints follow META_OAUTH_DIALOG_URL / META_GRAPH_API_URL,
      // so the local Meta sandbox can play Facebook without any branch here.
      Facebook({
        clientId: env.META_APP_ID ?? "",
        clientSecret: env.META_APP_SECRET,
        authorization: {
          url: `${env.META_OAUTH_DIALOG_URL}/${env.META_GRAPH_API_VERSION}/dialog/oauth`,
          params: { scope: "email,public_profile" },
        },
        token: `${graph}/oauth/access_token`,
        userinfo: { url: `${graph}/me?fields=id,name,email,picture` },
      }),
    ],
  };
});
