# One image for every Spark Control service: compose (compose.yaml) and StartOS (startos/) start one
# container or daemon per service from it, each with its own command:
#   node [flags] dist/services/<service>/main.js      (flags: shared/topology.ts, nodeFlags)
#   node dist/tools/spark-sim/main.js                 (the simulated cluster, compose profile `sim`)
#
# Both architectures from one machine (QEMU/binfmt for the foreign one, a buildx builder):
#   docker buildx build --platform linux/amd64,linux/arm64 -t spark-control:latest .
# better-sqlite3 is a native module: its binary comes from the `deps` stage, which runs on the
# target platform, so an arm64 image never carries an amd64 build. docs/COMPOSE.md has the details.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: TypeScript → dist/ (JavaScript is the same for every architecture, so this stage runs
# on the build machine's own platform). Dev dependencies are needed here only; install scripts are
# skipped (tsc needs no native module, and the deno package would download a binary).
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.sh ./scripts/build.sh
COPY shared ./shared
COPY services ./services
COPY ui ./ui
COPY tools ./tools
RUN bash scripts/build.sh dist

# ---- deps: production dependencies only, installed afresh in a clean stage (never a pruned dev
# tree), on the target platform. The compilers are a fallback for a native module without a
# prebuilt binary for this platform (better-sqlite3 then compiles against the headers the node
# image ships, so nothing else is downloaded); they stay in this stage.
FROM ${NODE_IMAGE} AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
# ffmpeg (and ffprobe) for the speech-proxy's audio handling; openssh-client for ssh-keygen (making
# the key pair the swap-controller uses for every Spark) and for checking a Spark by hand; tini as
# PID 1 so SIGTERM reaches node (every service drains on it) and zombies are reaped.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg openssh-client tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    DATA_DIR=/data
# Everything a service reads at run time: package.json ("type": "module"), the production
# node_modules, the compiled code with the dashboard's static files (scripts/build.sh puts them in
# dist/ui/static), the model recipes (RECIPES_DIR ./recipes) and the container patches
# (PATCHES_DIR ./patches), both relative to WORKDIR. Owned by root: the services only read them.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY recipes ./recipes
COPY patches ./patches
# The data volume: databases, settings, keys. The node user (uid 1000) owns it, so a fresh named
# volume mounted here starts with that owner.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 9999
# Healthy only on a 2xx from /ready (fetch's `ok` is exactly 200-299): a 503 means a critical
# dependency of the service is down. PORT is each container's own; the default is the gateway's.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||9999)+'/ready',{signal:AbortSignal.timeout(3000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/services/gateway/main.js"]
