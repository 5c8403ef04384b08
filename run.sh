#!/usr/bin/env bash
# ai.matey developer entry point.
#   ./run.sh start   run the gateway (simulated provider fleet when no API keys are set)
#   ./run.sh test    lint, typecheck and the whole test suite
#   ./run.sh bench   benchmarks (pass --smoke for the short CI run)
#   ./run.sh <any pnpm arguments>
# Node 22 and pnpm are used from the machine when it has them; otherwise they are fetched
# from the npm registry into .tools/ (the node-linux-* packages carry the Node binary).
set -euo pipefail
# `start` looks for matey.config.yaml where the user ran this script, not in the repository.
export MATEY_START_DIR="${MATEY_START_DIR:-$PWD}"
cd "$(dirname "$0")"

NODE_VERSION=22.23.3
PNPM_VERSION=10.34.9
TOOLS="$PWD/.tools"

major() { "$@" 2>/dev/null | sed -E 's/^v//; s/\..*//' || true; }
# Node as one number, 22.19.1 -> 2219 (undici 8 and type stripping need 22.19).
node_level() { node --version 2>/dev/null | sed -E 's/^v([0-9]+)\.([0-9]+).*/\1 \2/' | { read -r a b && echo $((a * 100 + b)); } || true; }

ensure_node() {
  local have
  have=$(node_level)
  if [ "${have:-0}" -ge 2219 ] 2>/dev/null; then return; fi
  local os arch pkg
  os=$(uname -s | tr '[:upper:]' '[:lower:]')
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
  pkg="node-$os-$arch"
  if [ ! -x "$TOOLS/node_modules/$pkg/bin/node" ]; then
    command -v npm >/dev/null || { echo "run.sh: need Node >= 22.19, or npm to fetch it" >&2; exit 1; }
    echo "run.sh: fetching Node $NODE_VERSION ($pkg) from the npm registry into .tools/" >&2
    npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$TOOLS" "$pkg@$NODE_VERSION" >&2
  fi
  export PATH="$TOOLS/node_modules/$pkg/bin:$PATH"
}

ensure_pnpm() {
  local have
  have=$(major pnpm --version)
  if [ "${have:-0}" -ge 10 ] 2>/dev/null; then return; fi
  if [ ! -f "$TOOLS/pnpm/node_modules/pnpm/bin/pnpm.cjs" ]; then
    echo "run.sh: fetching pnpm $PNPM_VERSION from the npm registry into .tools/" >&2
    npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$TOOLS/pnpm" "pnpm@$PNPM_VERSION" >&2
  fi
  mkdir -p "$TOOLS/bin"
  printf '#!/usr/bin/env bash\nexec node "%s" "$@"\n' "$TOOLS/pnpm/node_modules/pnpm/bin/pnpm.cjs" > "$TOOLS/bin/pnpm"
  chmod +x "$TOOLS/bin/pnpm"
  export PATH="$TOOLS/bin:$PATH"
}

ensure_deps() {
  # Install when node_modules is missing or older than the lockfile.
  if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
    pnpm install --frozen-lockfile --reporter=append-only >&2
  fi
}

ensure_chromium() {
  # The browser end-to-end tests drive Debian's chromium through playwright-core (no browser download).
  [ -x /usr/bin/chromium ] && return
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "run.sh: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
  else
    echo "run.sh: the browser tests need /usr/bin/chromium (apt-get install chromium)" >&2
  fi
}

ensure_agent_clients() {
  # The agent end-to-end tests drive Claude Code and Codex CLI, pinned in agent-clients.json and
  # installed from npm into .tools/agents (about 400 MB each, once).
  node apps/gateway/src/agent-clients/install-agent-clients.ts >&2
}

ensure_node
ensure_pnpm
ensure_deps

cmd="${1:-start}"
[ $# -gt 0 ] && shift
[ "$cmd" = test ] && ensure_chromium
[ "$cmd" = test ] && ensure_agent_clients
case "$cmd" in
  start|test|bench) exec pnpm run "$cmd" "$@" ;;
  *) exec pnpm "$cmd" "$@" ;;
esac
