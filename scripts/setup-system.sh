#!/usr/bin/env bash
# Installs the Debian tools the test suite and the benchmarks need. Idempotent: installs only
# what is missing, and says so. Run as root (or with sudo) on Debian 12.
set -euo pipefail

# command -> Debian package that provides it
declare -A NEEDED=(
  [sshd]=openssh-server
  [ssh-keygen]=openssh-client
  [ffmpeg]=ffmpeg
  [espeak-ng]=espeak-ng
  [sox]=sox
  [chromium]=chromium
  [nginx]=nginx
)

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }

missing=()
for cmd in "${!NEEDED[@]}"; do
  have "$cmd" || missing+=("${NEEDED[$cmd]}")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-system: all system tools present"
  exit 0
fi

# shellcheck disable=SC2207
pkgs=($(printf '%s\n' "${missing[@]}" | sort -u))
echo "setup-system: installing ${pkgs[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
# Debian starts nginx and sshd as system services on install; the tests run their own copies.
if command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now nginx ssh >/dev/null 2>&1 || true
fi
for cmd in "${!NEEDED[@]}"; do
  have "$cmd" || { echo "setup-system: $cmd still missing after install (apt-get install ${NEEDED[$cmd]})" >&2; exit 1; }
done
echo "setup-system: done"
