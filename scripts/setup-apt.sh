#!/usr/bin/env bash
# Installs the Debian packages that building and testing Larder need, and only those that are
# missing: the codec C libraries (lz4, zstd, zlib) with pkg-config, make, chromium (the HTML
# report's headless render test), and python3-venv when `python3 -m venv` cannot work.
# Runs `apt-get update` once, only if something is missing.
# As root it installs directly; otherwise through sudo when available; otherwise it prints the
# command to run and exits 1. On a system without dpkg it only checks pkg-config.
set -euo pipefail

packages=(liblz4-dev libzstd-dev zlib1g-dev pkg-config make chromium)

if ! command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for lib in liblz4 libzstd zlib; do
        pkg-config --exists "$lib" 2>/dev/null || missing+=("$lib")
    done
    if ((${#missing[@]})); then
        echo "setup-apt: not a Debian system; install these C libraries (with pkg-config files): ${missing[*]}" >&2
        echo "setup-apt: e.g. on macOS: brew install lz4 zstd pkg-config" >&2
        exit 1
    fi
    echo "setup-apt: not a Debian system; lz4, zstd and zlib found through pkg-config"
    exit 0
fi

# python3-venv: only when the interpreter on PATH lacks a working venv + ensurepip
# (Debian's own python3 splits them out; pyenv and python.org builds have them).
if ! command -v python3 >/dev/null 2>&1; then
    packages+=(python3 python3-venv)
elif ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    packages+=(python3-venv)
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
    echo "setup-apt: all present (${packages[*]})"
    exit 0
fi

if ((EUID == 0)); then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "setup-apt: missing Debian packages: ${missing[*]}" >&2
    echo "setup-apt: run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "setup-apt: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
