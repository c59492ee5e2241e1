#!/usr/bin/env bash
# Installs what building, serving and testing Interleave need, and skips quickly what is already
# there at the pinned version. Usage: scripts/tools.sh build|test
#   build: the wasm target, wasm-bindgen CLI, Trunk, and wasm-opt (npm binaryen)
#   test:  all of the above, plus Chromium, ChromeDriver and the end-to-end driver
# Nothing here downloads a prebuilt binary from outside the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.22.1
need=${1:-build}

say() { printf '\033[1m[tools]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[tools] %s\033[0m\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs) first."
command -v rustup >/dev/null || die "rustup is missing: the wasm32 target is added with rustup."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown || die "could not add the wasm32 target (rustup target add wasm32-unknown-unknown)."
fi

# wasm-bindgen CLI (it also brings wasm-bindgen-test-runner). Its lock file asks for a
# webpki-roots release that the registry may lack, so it is installed without --locked.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" \
    || die "could not install wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io."
fi

# Trunk 0.22.1 declares a newer Rust than it needs; it builds and runs on 1.95.
if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about ten minutes on two cores)"
  cargo install --locked --force trunk --version "$TRUNK_VERSION" --ignore-rust-version \
    || die "could not install trunk $TRUNK_VERSION from crates.io."
fi

# npm packages: binaryen's wasm-opt (Debian's is too old for this wasm-bindgen), playwright-core and
# axe-core (the accessibility audits of the end-to-end tier).
command -v npm >/dev/null || die "npm is missing: install Node.js 18 or newer (apt-get install nodejs npm)."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen, playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed: the npm registry must be reachable."
fi
node_modules/.bin/wasm-opt --version | grep -q version_132 || die "node_modules/.bin/wasm-opt is not binaryen 132."

if [ "$need" = test ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    command -v apt-get >/dev/null || die "Chromium and ChromeDriver are missing and there is no apt-get: install them so that 'chromium' and 'chromedriver' are on PATH."
    say "installing Chromium and ChromeDriver from Debian's packages"
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq || die "apt-get update failed."
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null \
      || die "could not install chromium and chromium-driver with apt-get."
  fi
fi
say "tools ready: $(wasm-bindgen --version), $(trunk --version), wasm-opt $(node_modules/.bin/wasm-opt --version | grep -o 'version_[0-9]*')"
