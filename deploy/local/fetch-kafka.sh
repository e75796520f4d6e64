#!/usr/bin/env bash
# Resolves the Kafka broker jars (version pinned in deploy/local/pom.xml) from Maven Central
# into a per-version cache dir outside the work tree, once; prints that dir (jars in <dir>/libs).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$here/pom.xml"

version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom" | head -n1)"
if [[ -z "$version" ]]; then
  echo "fetch-kafka: cannot read <kafka.version> from $pom" >&2
  exit 1
fi

cache_root="${PARLEY_CACHE_DIR:-$HOME/.cache/parley}"
dir="$cache_root/kafka-$version"
marker="$dir/.complete"
# The marker holds the pom's checksum: editing the pom (e.g. the log binding) refetches.
want="$(sha256sum "$pom" | cut -d' ' -f1)"

is_complete() {
  [[ -f "$marker" ]] && [[ "$(cat "$marker")" == "$want" ]] \
    && compgen -G "$dir/libs/kafka_2.13-$version.jar" >/dev/null
}

if ! is_complete; then
  mkdir -p "$cache_root"
  # Serialise concurrent fetches (two jest runs, CI warm-up + tests) on one lock file.
  exec 9>"$cache_root/kafka-$version.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  if ! is_complete; then
    command -v mvn >/dev/null 2>&1 || {
      echo "fetch-kafka: mvn not found (apt-get install -y maven default-jdk-headless)" >&2
      exit 1
    }
    echo "fetch-kafka: resolving kafka_2.13:$version jars into $dir/libs ..." >&2
    staging="$(mktemp -d "$cache_root/kafka-$version.staging.XXXXXX")"
    trap 'rm -rf "$staging"' EXIT
    if ! mvn -B -q -Dstyle.color=never -f "$pom" dependency:copy-dependencies \
      -DoutputDirectory="$staging/libs" -DincludeScope=runtime >"$staging/mvn.log" 2>&1; then
      echo "fetch-kafka: mvn failed:" >&2
      cat "$staging/mvn.log" >&2
      exit 1
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    mv "$staging/libs" "$dir/libs"
    echo "$want" > "$marker"
  fi
fi

echo "$dir"
