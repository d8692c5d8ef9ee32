# Multi-stage image for any Vigil service: `docker build --build-arg SERVICE=ingest -t vigil-ingest .`
# Stage 1 installs the workspace's dependencies; stage 2 carries only what the service needs at run time.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY libs/metrics-store/package.json libs/metrics-store/
COPY libs/promql/package.json libs/promql/
COPY libs/eventstore/package.json libs/eventstore/
COPY libs/testing/package.json libs/testing/
COPY services/ingest/package.json services/ingest/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm install --no-save --no-audit --no-fund @swc-node/register@1 @swc/core@1 \
 && rm -rf node_modules/chdb node_modules/@chdb node_modules/playwright-core

FROM node:20-bookworm-slim AS runtime
ARG SERVICE=ingest
ENV NODE_ENV=production SERVICE=${SERVICE} HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.base.json .swcrc ./
COPY libs ./libs
COPY services ./services
USER node
CMD ["sh", "-c", "exec node -r @swc-node/register services/${SERVICE}/src/main.ts"]
