# Sourced by scripts/build (and so by test, demo, gas-report, fuzz): makes sure this machine has
# what the build needs, installs what it can and names exactly what it cannot.
#
# - Rust: the toolchain rust-toolchain.toml pins, with the wasm32-unknown-unknown target. rustup
#   installs a missing toolchain or target only when RUSTUP_AUTO_INSTALL is not 0; this does it
#   explicitly, so the scripts work either way.
# - Debian packages: brotli (compressed sizes as Stylus measures them), binaryen (wasm-opt) and a
#   C compiler (build-essential: some dependencies build C). Installed with apt-get as root, or
#   with sudo when sudo needs no password; otherwise the script stops and prints the command.
# shellcheck shell=bash

tools_fail() {
  echo "scripts: $1" >&2
  exit 1
}

tools_ensure_rust() {
  if ! command -v rustup >/dev/null 2>&1 || ! command -v cargo >/dev/null 2>&1; then
    tools_fail "Rust is missing (rustup and cargo). Install it with
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y && . \"\$HOME/.cargo/env\"
then run this script again."
  fi
  local toolchain
  toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
  [ -n "$toolchain" ] || tools_fail "rust-toolchain.toml names no channel"
  if ! rustup toolchain list | grep -q "^$toolchain"; then
    echo "scripts: installing Rust $toolchain (rust-toolchain.toml)" >&2
    rustup toolchain install "$toolchain" --profile minimal --component rustfmt,clippy \
      --target wasm32-unknown-unknown >&2 \
      || tools_fail "could not install Rust $toolchain: run 'rustup toolchain install $toolchain --target wasm32-unknown-unknown'"
  fi
  if ! rustup target list --installed --toolchain "$toolchain" | grep -qx wasm32-unknown-unknown; then
    echo "scripts: adding the wasm32-unknown-unknown target to Rust $toolchain" >&2
    rustup target add --toolchain "$toolchain" wasm32-unknown-unknown >&2 \
      || tools_fail "could not add the wasm32 target: run 'rustup target add --toolchain $toolchain wasm32-unknown-unknown'"
  fi
}

tools_ensure_debian() {
  local missing=()
  command -v brotli >/dev/null 2>&1 || missing+=(brotli)
  command -v wasm-opt >/dev/null 2>&1 || missing+=(binaryen)
  command -v cc >/dev/null 2>&1 || missing+=(build-essential)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      tools_fail "missing Debian packages: ${missing[*]}. Install them as root:
  sudo apt-get update && sudo apt-get install -y ${missing[*]}
then run this script again."
    fi
  fi
  command -v apt-get >/dev/null 2>&1 \
    || tools_fail "missing: ${missing[*]} (brotli, wasm-opt from binaryen, a C compiler); this is not a Debian/Ubuntu machine: install them with your package manager"
  echo "scripts: installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2 \
    || tools_fail "apt-get could not install ${missing[*]}"
}

# The official Stylus CLI, which the devnet's tests run against the devnet (crates/devnet/tests/
# cargo_stylus.rs) and the runbook uses on public networks. From crates.io, pinned; the first
# install compiles it (about 6 minutes on 2 cores). Called by scripts/test, not by the build.
CARGO_STYLUS_VERSION=0.10.10
tools_ensure_cargo_stylus() {
  if cargo stylus --version 2>/dev/null | grep -qF "$CARGO_STYLUS_VERSION"; then
    return 0
  fi
  # It links OpenSSL (openssl-sys), found through pkg-config.
  if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists openssl 2>/dev/null; then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    command -v apt-get >/dev/null 2>&1 \
      || tools_fail "cargo-stylus needs OpenSSL's headers and pkg-config: install them with your package manager"
    echo "scripts: installing pkg-config and libssl-dev with apt-get (cargo-stylus links OpenSSL)" >&2
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq pkg-config libssl-dev >&2 \
      || tools_fail "could not install pkg-config libssl-dev: run 'sudo apt-get install -y pkg-config libssl-dev'"
  fi
  echo "scripts: installing cargo-stylus $CARGO_STYLUS_VERSION from crates.io (about 6 minutes on 2 cores)" >&2
  cargo install --locked --quiet "cargo-stylus@$CARGO_STYLUS_VERSION" >&2 \
    || tools_fail "could not install cargo-stylus: run 'cargo install --locked cargo-stylus@$CARGO_STYLUS_VERSION'"
}

tools_ensure_rust
tools_ensure_debian
