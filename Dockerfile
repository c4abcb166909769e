# syntax=docker/dockerfile:1
# Stagegate GitHub App image: build and run with Node 24 (LTS), as a non-root user with
# the pinned opa (policies are compiled to wasm by opa at runtime, per config revision) and
# the pinned kustomize and helm (environments with `render:` entry points are rendered).

ARG NODE_VERSION=24
ARG OPA_VERSION=1.22.3
# Keep in step with scripts/install-kustomize.mjs and scripts/install-helm.mjs.
ARG KUSTOMIZE_VERSION=5.7.1
ARG HELM_VERSION=4.3.2

# --- opa, built from the Go module proxy (the same way `npm ci` does when no release download works)
FROM golang:1.26-bookworm AS opa
ARG OPA_VERSION
ENV CGO_ENABLED=0 GOBIN=/out GOTOOLCHAIN=auto
RUN go install "github.com/open-policy-agent/opa@v${OPA_VERSION}" \
 && /out/opa version | grep -q "^Version: ${OPA_VERSION}$"

# --- kustomize and helm, the same way (helm stamped with its full version, as its release build does)
FROM golang:1.26-bookworm AS render-tools
ARG KUSTOMIZE_VERSION
ARG HELM_VERSION
ENV CGO_ENABLED=0 GOBIN=/out GOTOOLCHAIN=auto
RUN go install "sigs.k8s.io/kustomize/kustomize/v5@v${KUSTOMIZE_VERSION}" \
 && go install -ldflags "-X helm.sh/helm/v4/internal/version.version=v${HELM_VERSION}" \
      "helm.sh/helm/v4/cmd/helm@v${HELM_VERSION}" \
 && /out/helm version --template '{{.Version}}' | grep -q "^v${HELM_VERSION}$"

# --- build: compile TypeScript, then keep production dependencies only
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY --from=opa /out/opa /usr/local/bin/opa
# scripts/install-opa.mjs (postinstall) takes the binary from OPA_PATH after checking its version.
ENV OPA_PATH=/usr/local/bin/opa
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schemas ./schemas
COPY policies ./policies
COPY bin ./bin
RUN node scripts/install-opa.mjs \
 && npm run build \
 && npm prune --omit=dev

# --- runtime
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    OPA_PATH=/usr/local/bin/opa \
    KUSTOMIZE_PATH=/usr/local/bin/kustomize \
    HELM_PATH=/usr/local/bin/helm \
    XDG_CACHE_HOME=/home/node/.cache
WORKDIR /app
COPY --from=opa /out/opa /usr/local/bin/opa
COPY --from=render-tools /out/kustomize /out/helm /usr/local/bin/
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/schemas ./schemas
COPY --from=build --chown=root:root /app/policies ./policies
COPY --from=build --chown=root:root /app/bin ./bin
# The app's files stay root-owned (read-only to it); the node user (uid 1000) only writes its wasm cache.
USER node
RUN mkdir -p /home/node/.cache/stagegate
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ping').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.js"]
