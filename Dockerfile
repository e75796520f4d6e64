# parley: one image for every service, chosen by the first argument:
#   docker run <image> server | gateway | sequencer | delivery
# Built in three stages: `build` compiles with every dev dependency, `deps` installs the
# production dependencies of the four services only, and the final stage holds Node, those
# dependencies and the compiled output, runs as uid 1000, needs no shell and writes nothing to
# its root filesystem (it runs with --read-only / readOnlyRootFilesystem: true).
FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci
RUN npx turbo run build --filter=@parley/server... --output-logs=errors-only
# What the run stage needs: the workspace manifests (for the production install) and, for each
# workspace the build above compiled (the services and what they depend on: the only ones with
# a dist/), its package.json, dist/ and static public/ files (the development page, served only
# when PARLEY_DEV_TOKENS is on).
RUN set -eu; \
    mkdir -p /manifests /out; \
    cp package.json package-lock.json /manifests/; \
    for f in packages/*/package.json services/*/package.json; do \
      mkdir -p "/manifests/$(dirname "$f")"; cp "$f" "/manifests/$f"; \
    done; \
    for d in packages/* services/*; do \
      [ -d "$d/dist" ] || continue; \
      mkdir -p "/out/$d"; cp -R "$d/package.json" "$d/dist" "/out/$d/"; \
      if [ -d "$d/public" ]; then cp -R "$d/public" "/out/$d/"; fi; \
    done; \
    cp deploy/container/entrypoint.js /out/entrypoint.js

FROM node:20-bookworm-slim AS deps
WORKDIR /src
COPY --from=build /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund \
      -w @parley/server -w @parley/gateway -w @parley/sequencer -w @parley/delivery

FROM node:20-bookworm-slim
# npm and npx are not needed to run a service.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /src/node_modules/ ./node_modules/
COPY --from=build /out/ ./
# The official node image's unprivileged user, by number so Kubernetes' runAsNonRoot can check it.
USER 1000:1000
# gateway / all-in-one: 8080; sequencer admin (metrics, health): 9091; delivery admin: 9092.
EXPOSE 8080 9091 9092
ENTRYPOINT ["node", "/app/entrypoint.js"]
CMD ["server"]
