/** @type {import('next').NextConfig} */
const nextConfig = {
  // The Docker image runs Next's self-contained server; `npm start` uses `next start` as usual.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Migrations are applied at start-up from the committed SQL, so the standalone bundle must carry it.
  outputFileTracingIncludes: { "/*": ["./db/migrations/**/*"] },
  // The build checks the app's own code; `npm run typecheck` covers tests, scripts and the sandbox too.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  serverExternalPackages: ["pino", "pino-pretty", "pg", "@node-rs/argon2", "socket.io", "@socket.io/postgres-adapter", "pdfkit"],
};

export default nextConfig;
