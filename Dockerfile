# Multi-stage image for any Vigil service: `docker build --build-arg SERVICE=incident -t vigil-incident .`
# (docker-compose.yml builds one image per directory under services/, each with its SERVICE).
#
# Stage 1 (manifests) takes the whole build context and keeps only package.json, package-lock.json and the
# package.json of every npm workspace (the `workspaces` globs of package.json: libs/*, services/*), so a new library
# or service can never be missing from `npm ci`. Its output changes only when a manifest does, so the deps layer
# below stays cached across source edits. deploy/compose.spec.ts checks this against package.json.
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json /manifests/ \
 && for manifest in libs/*/package.json services/*/package.json; do cp --parents "$manifest" /manifests/; done

# Stage 2 installs the workspace's run-time dependencies.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm install --no-save --no-audit --no-fund @swc-node/register@1 @swc/core@1 \
 && rm -rf node_modules/chdb node_modules/@chdb node_modules/playwright-core

# Stage 3 carries only what the chosen service needs at run time: the libraries and that one service.
FROM node:20-bookworm-slim AS runtime
ARG SERVICE=ingest
ENV NODE_ENV=production SERVICE=${SERVICE} HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.base.json .swcrc ./
COPY libs ./libs
COPY services/${SERVICE} ./services/${SERVICE}
USER node
CMD ["sh", "-c", "exec node -r @swc-node/register services/${SERVICE}/src/main.ts"]
