# syntax=docker/dockerfile:1.7
# Images of the engine: `--target gateway` (REST API and the schema migration) and
# `--target worker` (Temporal worker with tofu and the Google provider). Both run as the
# non-root user 10001 and need only /tmp and, for the worker, /var/lib/poc-engine writable.
#
#   docker build --target gateway -t poc-provisioning-engine-gateway .
#   docker build --target worker  -t poc-provisioning-engine-worker .
#
# The worker's tofu installs providers only from a read-only filesystem mirror baked in here
# (ADR 7): `tofu init` in a workspace downloads nothing, and parallel inits only symlink.

# Node 24 LTS, the production runtime (package.json `engines`; ADR 22).
ARG NODE_IMAGE=node:24.22-bookworm-slim

# ---- tofu: the release archive of the version scripts/tools.mjs builds from tools/tofu (a static
# test keeps the three equal), verified against its checksums
FROM debian:bookworm-slim AS tofu
ARG TOFU_VERSION=1.12.6
# Set by BuildKit from --platform (amd64, arm64).
ARG TARGETARCH
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /tmp/tofu
RUN set -eu; \
    base="https://github.com/opentofu/opentofu/releases/download/v${TOFU_VERSION}"; \
    archive="tofu_${TOFU_VERSION}_linux_${TARGETARCH}.tar.gz"; \
    curl -fsSLO "$base/$archive"; \
    curl -fsSLO "$base/tofu_${TOFU_VERSION}_SHA256SUMS"; \
    grep " $archive\$" "tofu_${TOFU_VERSION}_SHA256SUMS" | sha256sum -c -; \
    tar -xzf "$archive" tofu; \
    install -m 0755 tofu /usr/local/bin/tofu; \
    tofu version | grep -qx "OpenTofu v${TOFU_VERSION}"; \
    rm -rf /tmp/tofu

# ---- providers: every provider modules/gcp-poc requires, as an unpacked mirror
# (HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/), which tofu init links to instead of copying.
FROM tofu AS providers
ARG TARGETARCH
COPY terraform/modules/gcp-poc/versions.tf /tmp/requirements/versions.tf
RUN set -eu; \
    tofu -chdir=/tmp/requirements providers mirror -platform="linux_${TARGETARCH}" /tmp/packed; \
    cd /tmp/packed; \
    for zip in $(find . -name 'terraform-provider-*.zip'); do \
      name=$(basename "$zip" .zip); rest=${name#terraform-provider-*_}; \
      version=${rest%%_*}; target=${rest#*_}; \
      dest="/opt/tofu/providers/$(dirname "$zip")/$version/$target"; \
      mkdir -p "$dest"; unzip -q "$zip" -d "$dest"; \
    done; \
    chmod -R a-w,a+rX /opt/tofu/providers; \
    rm -rf /tmp/packed /tmp/requirements

# ---- build: compile, then keep production dependencies only (install scripts are not run)
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY workflows workflows
COPY activities activities
COPY scripts scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --ignore-scripts

# ---- app: what both images share; everything root-owned, so read-only to the engine user
FROM ${NODE_IMAGE} AS app
ENV NODE_ENV=production \
    HOME=/home/engine
RUN groupadd --system --gid 10001 engine \
 && useradd --system --uid 10001 --gid engine --home-dir /home/engine --shell /usr/sbin/nologin engine \
 && mkdir -p /home/engine && chown root:root /home/engine && chmod 0755 /home/engine
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# ---- gateway (also runs `node dist/scripts/migrate.js`, the Helm migration hook)
FROM app AS gateway
USER 10001:10001
EXPOSE 8081
CMD ["node", "dist/src/main.js"]

# ---- worker: tofu, the stacks and modules, and the provider mirror
FROM app AS worker
COPY --from=tofu /usr/local/bin/tofu /usr/local/bin/tofu
COPY --from=providers /opt/tofu/providers /opt/tofu/providers
COPY terraform ./terraform
# The engine writes tofu's CLI configuration itself from TOFU_PROVIDER_MIRROR_DIR (ADR 8):
# only the mirror, no direct installation, no plugin cache lock. The .tofurc below is the same
# configuration for the build-time check and for an engineer's `tofu` in the container.
COPY <<EOF /home/engine/.tofurc
provider_installation {
  filesystem_mirror {
    path    = "/opt/tofu/providers"
    include = ["registry.opentofu.org/*/*"]
  }
}
EOF
# Proof at build time that init needs no network and the GCP module validates (with the
# modules beside it that it uses: ../poc-names).
RUN --network=none set -eu; \
    cp -r terraform/modules /tmp/modules; \
    tofu -chdir=/tmp/modules/gcp-poc init -backend=false -input=false -no-color >/dev/null; \
    tofu -chdir=/tmp/modules/gcp-poc validate -no-color; \
    rm -rf /tmp/modules
RUN mkdir -p /var/lib/poc-engine/workspaces /var/lib/poc-engine/environments \
 && chown -R 10001:10001 /var/lib/poc-engine
ENV TOFU_BINARY=/usr/local/bin/tofu \
    TOFU_PROVIDER_MIRROR_DIR=/opt/tofu/providers \
    TERRAFORM_DIR=/app/terraform \
    WORKSPACE_ROOT=/var/lib/poc-engine/workspaces \
    ENVIRONMENT_ROOT=/var/lib/poc-engine/environments
VOLUME ["/var/lib/poc-engine"]
USER 10001:10001
CMD ["node", "dist/src/worker/main.js"]
