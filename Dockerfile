# syntax=docker/dockerfile:1
# icp-sync runs its TypeScript sources directly (Node.js >= 22.20, package.json engines; the image uses 24 LTS): no build step.
ARG NODE_IMAGE=node:24-slim

# Production dependencies only, exactly as locked. Install scripts are skipped: the one native
# helper (msgpackr-extract) ships prebuilt binaries and has a pure-JS fallback.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Files stay owned by root and read-only to the service user: the process never writes to its image.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY workers ./workers
COPY config ./config
USER node
EXPOSE 3000
# slim images have no curl: Node's own fetch asks the liveness route.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM starts the graceful shutdown (HTTP, then workers, then Redis); give it up to 30 s.
STOPSIGNAL SIGTERM
CMD ["node", "bin/icp-sync.js", "start"]
