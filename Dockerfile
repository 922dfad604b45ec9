# One image for every Spark Control service; compose and StartOS start one container/daemon per
# service from it with a different command. Node 20 on Debian 12, as the tests run.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY shared ./shared
COPY services ./services
COPY ui ./ui
COPY tools ./tools
COPY recipes ./recipes
COPY scripts/build.sh ./scripts/build.sh
RUN bash scripts/build.sh dist && npm prune --omit=dev

FROM node:20-bookworm-slim
# ffmpeg for the speech proxy; openssh-client for operators debugging from a shell.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg openssh-client \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/recipes ./recipes
VOLUME /data
USER node
# The service to run is the compose command, e.g. `node dist/services/gateway/main.js`.
CMD ["node", "dist/services/gateway/main.js"]
