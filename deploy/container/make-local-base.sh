#!/usr/bin/env bash
# Makes a local stand-in for the Dockerfile's base image, node:20-bookworm-slim, on a machine
# that cannot pull images: a Debian bookworm root filesystem (debootstrap --variant=minbase from
# the Debian mirror this machine's apt uses) plus this machine's Node 20 (binary, npm, npx) in the
# places the official image puts them (/usr/local/bin, /usr/local/lib/node_modules/npm), and the
# official image's `node` user (uid/gid 1000). Imported with `podman import` and tagged
# node:20-bookworm-slim, so `podman build` of the real Dockerfile uses it unchanged.
#
# The root filesystem tarball is cached in ~/.cache/parley (PARLEY_CACHE_DIR), keyed by the Node
# version; the import is skipped when the tag already points at an image of that version.
# Prints the tag on stdout.
set -euo pipefail

TAG="${BASE_TAG:-docker.io/library/node:20-bookworm-slim}"
CACHE="${PARLEY_CACHE_DIR:-$HOME/.cache/parley}"
NODE_BIN="$(readlink -f "$(command -v node)")"
node_version="$("$NODE_BIN" -p process.versions.node)"
[[ "${node_version%%.*}" == 20 ]] || { echo "need Node 20 on this machine, found $node_version" >&2; exit 1; }
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
[[ -f "$npm_dir/package.json" ]] || { echo "cannot find npm's directory (got $npm_dir)" >&2; exit 1; }
tarball="$CACHE/node-$node_version-bookworm-slim.tar"
log() { echo "[base image] $*" >&2; }

mkdir -p "$CACHE"
exec 9>"$CACHE/node-base-image.lock"
flock 9

if [[ ! -f "$tarball" ]]; then
  command -v debootstrap >/dev/null 2>&1 || {
    log "apt-get install debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap </dev/null >&2
  }
  # The mirror apt already uses (deb822 or one-line sources), else Debian's default.
  mirror="$(sed -n 's/^URIs:[[:space:]]*\(\S*\/debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)"
  [[ -n "$mirror" ]] || mirror="$(sed -n 's/^deb[[:space:]]\+\(\S*\/debian\)\/\{0,1\}[[:space:]]\+bookworm[[:space:]].*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  work="$(mktemp -d "$CACHE/rootfs.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  log "debootstrap --variant=minbase bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  root="$work/root"
  # What debian:bookworm-slim leaves out: package caches, documentation, manual pages.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/* "$root"/tmp/*
  # Node as node:20-bookworm-slim has it.
  install -D -m 0755 "$NODE_BIN" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  chroot "$root" /usr/sbin/groupadd --gid 1000 node
  chroot "$root" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  chroot "$root" /usr/local/bin/node -e 'require("/usr/local/lib/node_modules/npm/package.json")' ||
    { log "node does not run inside the root filesystem"; exit 1; }
  tar -C "$root" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  log "root filesystem cached at $tarball ($(du -h "$tarball" | cut -f1))"
fi

label="parley.local-base=node-$node_version-bookworm-slim"
if [[ "$(podman image inspect --format '{{index .Labels "parley.local-base"}}' "$TAG" 2>/dev/null)" != "node-$node_version-bookworm-slim" ]]; then
  log "podman import $tarball as $TAG"
  podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$node_version" \
    --change 'CMD ["node"]' \
    --change "LABEL $label" \
    "$tarball" "$TAG" >/dev/null
fi
echo "$TAG"
