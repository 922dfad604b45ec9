#!/usr/bin/env bash
# Fails loudly (never skips) when a Debian tool the suite needs is missing.
set -euo pipefail
missing=()
for tool in /usr/sbin/sshd ssh-keygen ffmpeg ffprobe espeak-ng sox /usr/bin/chromium nginx; do
  if [[ "$tool" == /* ]]; then [ -x "$tool" ] || missing+=("$tool"); else command -v "$tool" >/dev/null || missing+=("$tool"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Missing system tools: ${missing[*]}" >&2
  echo "Install them with: sudo bash scripts/setup-system.sh" >&2
  exit 1
fi
