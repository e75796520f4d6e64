#!/usr/bin/env bash
# Installs the tools of the fast deployment checks (packages/deploy-check/test/unit) into a
# per-version cache outside the work tree, once, and prints the manifest that lists them:
#   kustomize     sigs.k8s.io/kustomize/kustomize/v5, built with `go install`
#   kubeconform   github.com/yannh/kubeconform, built with `go install`
#   k8s schemas   the strict JSON schemas shipped in PyPI's kubernetes-validate wheel (downloaded
#                 with `pip download`, never installed), made local: "$id" removed and
#                 "$ref": "/api/_definitions.json#..." rewritten to "_definitions.json#..."
#                 (kubeconform otherwise tries to fetch them and reports "could not find schema")
#   CRDs          the prometheus-operator CustomResourceDefinitions (ServiceMonitor, PodMonitor,
#                 PrometheusRule, ...) from its Go module source (`go mod download`)
#   promtool      Debian's `prometheus` package (apt) when no promtool is on the PATH
# Idempotent and quiet when everything is cached: prints only the manifest's path on stdout.
# Progress goes to stderr. Cache root: $PARLEY_CACHE_DIR (default ~/.cache/parley).
set -euo pipefail

KUSTOMIZE_VERSION=v5.8.2
KUBECONFORM_VERSION=v0.8.0
K8S_VALIDATE_VERSION=1.37.0
# The Kubernetes minor whose schemas the manifests are checked against (the control-plane
# tier runs this minor too).
K8S_SCHEMA_VERSION=v1.36.0
PROM_OPERATOR_VERSION=v0.85.0

cache_root="${PARLEY_CACHE_DIR:-$HOME/.cache/parley}"
tools="$cache_root/k8s-tools"
manifest="$tools/fast-tools.json"
log() { echo "install-fast-tools: $*" >&2; }

go_bin="${GO:-}"
if [[ -z "$go_bin" ]]; then
  if [[ -x /usr/local/go/bin/go ]]; then go_bin=/usr/local/go/bin/go; else go_bin="$(command -v go || true)"; fi
fi

# Go builds and module downloads stay under the cache root, not in the user's GOPATH.
export GOPATH="$cache_root/go" GOCACHE="$cache_root/go-build" GOFLAGS=-modcacherw GOTOOLCHAIN=local

kustomize="$tools/kustomize-$KUSTOMIZE_VERSION/kustomize"
kubeconform="$tools/kubeconform-$KUBECONFORM_VERSION/kubeconform"
schemas="$tools/kubernetes-validate-$K8S_VALIDATE_VERSION/$K8S_SCHEMA_VERSION-local-strict"
crds="$tools/prometheus-operator-$PROM_OPERATOR_VERSION/crds"

need_go() {
  [[ -n "$go_bin" && -x "$go_bin" ]] || {
    log "Go not found (looked at \$GO, /usr/local/go/bin/go and the PATH)"
    exit 1
  }
}

go_install() { # <module path>@<version> <target binary>
  local pkg="$1" target="$2" staging
  [[ -x "$target" ]] && return 0
  need_go
  log "go install $pkg (a few minutes on a cold cache) ..."
  staging="$(mktemp -d "$tools/.staging.XXXXXX")"
  if ! GOBIN="$staging" "$go_bin" install "$pkg" >"$staging/go.log" 2>&1; then
    cat "$staging/go.log" >&2
    rm -rf "$staging"
    log "go install $pkg failed"
    exit 1
  fi
  mkdir -p "$(dirname "$target")"
  mv "$staging/$(basename "$target")" "$target"
  rm -rf "$staging"
}

install_schemas() {
  [[ -f "$schemas/.complete" ]] && return 0
  command -v python3 >/dev/null 2>&1 || { log "python3 not found (needed for pip download)"; exit 1; }
  log "pip download kubernetes-validate==$K8S_VALIDATE_VERSION (schemas only, not installed) ..."
  local staging
  staging="$(mktemp -d "$tools/.staging.XXXXXX")"
  if ! python3 -m pip download --quiet --disable-pip-version-check --no-deps \
    "kubernetes-validate==$K8S_VALIDATE_VERSION" -d "$staging/wheel" >"$staging/pip.log" 2>&1; then
    cat "$staging/pip.log" >&2
    rm -rf "$staging"
    log "pip download failed"
    exit 1
  fi
  python3 - "$staging/wheel" "$staging/out" "$K8S_SCHEMA_VERSION-local-strict" <<'PY'
import glob, json, os, sys, zipfile
wheel_dir, out, flavour = sys.argv[1:4]
prefix = f"kubernetes_validate/kubernetes-json-schema/{flavour}/"
wheel = glob.glob(os.path.join(wheel_dir, "*.whl"))[0]
os.makedirs(out)
count = 0
def localise(node):
    if isinstance(node, dict):
        node.pop("$id", None)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("/api/_definitions.json"):
            node["$ref"] = ref[len("/api/"):]
        for value in node.values():
            localise(value)
    elif isinstance(node, list):
        for value in node:
            localise(value)
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if not name.startswith(prefix) or not name.endswith(".json"):
            continue
        schema = json.loads(z.read(name))
        localise(schema)
        with open(os.path.join(out, name[len(prefix):]), "w") as f:
            json.dump(schema, f)
        count += 1
if count < 100 or not os.path.exists(os.path.join(out, "_definitions.json")):
    sys.exit(f"only {count} schemas under {prefix} in {wheel}")
PY
  rm -rf "$schemas"
  mkdir -p "$(dirname "$schemas")"
  mv "$staging/out" "$schemas"
  touch "$schemas/.complete"
  rm -rf "$staging"
}

install_crds() {
  [[ -f "$crds/.complete" ]] && return 0
  need_go
  log "go mod download github.com/prometheus-operator/prometheus-operator@$PROM_OPERATOR_VERSION (CRDs) ..."
  local dir
  dir="$("$go_bin" mod download -json "github.com/prometheus-operator/prometheus-operator@$PROM_OPERATOR_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -n "$dir" && -d "$dir/example/prometheus-operator-crd" ]] || {
    log "no example/prometheus-operator-crd in the downloaded module ($dir)"
    exit 1
  }
  rm -rf "$crds"
  mkdir -p "$crds"
  cp "$dir"/example/prometheus-operator-crd/*.yaml "$crds/"
  chmod -R u+w "$crds"
  touch "$crds/.complete"
}

find_promtool() {
  local found
  found="$(command -v promtool || true)"
  if [[ -z "$found" && -x /usr/bin/promtool ]]; then found=/usr/bin/promtool; fi
  if [[ -z "$found" ]]; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      log "apt-get install prometheus (for promtool) ..."
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq </dev/null >&2
      apt-get install -y -qq --no-install-recommends prometheus </dev/null >&2
      found="$(command -v promtool || true)"
    fi
  fi
  [[ -n "$found" ]] || {
    log "promtool not found: apt-get install -y --no-install-recommends prometheus"
    exit 1
  }
  echo "$found"
}

mkdir -p "$tools"
cd "$tools" # outside any Go module or work tree
exec 9>"$tools/.install.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

go_install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" "$kustomize"
go_install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" "$kubeconform"
install_schemas
install_crds
promtool="$(find_promtool)"

want="$(printf '{\n  "kustomize": "%s",\n  "kubeconform": "%s",\n  "kubernetesSchemas": "%s",\n  "kubernetesVersion": "%s",\n  "prometheusOperatorCrds": "%s",\n  "promtool": "%s"\n}\n' \
  "$kustomize" "$kubeconform" "$schemas" "${K8S_SCHEMA_VERSION#v}" "$crds" "$promtool")"
if [[ ! -f "$manifest" || "$(cat "$manifest")" != "$want" ]]; then
  printf '%s\n' "$want" >"$manifest.tmp"
  mv "$manifest.tmp" "$manifest"
fi
echo "$manifest"
