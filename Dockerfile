# syntax=docker/dockerfile:1.7
# Multi-stage build: `app` is the Next.js standalone server, `realtime` the Socket.IO sidecar; both
# run as an unprivileged user.

FROM node:20-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
RUN npm run build

FROM node:20-bookworm-slim AS app
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
RUN groupadd --system chats && useradd --system --gid chats --home /app chats
COPY --from=build --chown=chats:chats /src/.next/standalone ./
COPY --from=build --chown=chats:chats /src/.next/static ./.next/static
COPY --from=build --chown=chats:chats /src/public ./public
# Applied by the server at start-up (instrumentation.ts) under an advisory lock.
COPY --from=build --chown=chats:chats /src/db/migrations ./db/migrations
USER chats
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]

FROM node:20-bookworm-slim AS realtime
WORKDIR /app
ENV NODE_ENV=production REALTIME_PORT=3001
RUN groupadd --system chats && useradd --system --gid chats --home /app chats
# The sidecar runs from source with tsx (it shares lib/ and db/ with the app, incl. the @/ paths).
COPY --from=deps --chown=chats:chats /src/node_modules ./node_modules
COPY --chown=chats:chats package.json tsconfig.json ./
COPY --chown=chats:chats db ./db
COPY --chown=chats:chats lib ./lib
COPY --chown=chats:chats realtime ./realtime
USER chats
EXPOSE 3001
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3001/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "realtime/main.ts"]
