# syntax=docker/dockerfile:1
# Order Journeys: two images from one build.
#   docker build --target api    -t order-journeys-api .      # node dist/server.js   (also runs dist/migrate.js)
#   docker build --target worker -t order-journeys-worker .   # node dist/worker.js
# Both run as the unprivileged `node` user, on files they cannot change.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- Dependencies and build
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
COPY packages/client/package.json ./packages/client/
# No install scripts: nothing the build or the runtime needs has one that matters (native binaries come as prebuilt
# platform packages), and skipping them all keeps the image's npm, whichever version, from running unreviewed code.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc, then the workflows' bundle (dist/workflow-bundle.js): the worker loads it instead of bundling at every start.
RUN npm run build

# ---- Production dependencies only
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
COPY packages/client/package.json ./packages/client/
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# ---- What both images share
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node

FROM runtime AS api
EXPOSE 3000
CMD ["node", "dist/server.js"]

FROM runtime AS worker
# jemalloc instead of glibc's malloc: after a burst of work glibc keeps the freed memory of its per-thread arenas, and
# the worker sat at 317 MB with 3,000 journeys parked where jemalloc went back to 205 MB (bench/allocator.ts,
# docs/capacity.md). The link gives it one path on every architecture.
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(find /usr/lib -name libjemalloc.so.2 | head -n 1)" /usr/local/lib/libjemalloc.so.2 \
 && test -e /usr/local/lib/libjemalloc.so.2
USER node
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2
# Its own metrics (messages, provider latency) and the Temporal SDK's.
EXPOSE 9464 9465
CMD ["node", "dist/worker.js"]
