#!/usr/bin/env bash
# `npm test`'s set-up step (the `pretest` script): the Debian packages the tests drive for real.
#   socat              serial printers and displays on a pseudo-terminal
#   chromium           the screens' end-to-end tests
#   mmdebstrap, systemd-container, e2fsprogs, openssl
#                      the image checks (a trixie rootfs, its systemd under systemd-nspawn, images/build);
#                      openssl also makes the simulated Adyen terminal's TLS certificate
#   fonts-dejavu-core  a font for Chromium's screenshots
# When all are there this costs a few `command -v`. When some are missing it installs them with
# apt-get if it can (root, or sudo without a password, on Debian); otherwise it stops at once and
# prints the one command to run.
set -euo pipefail

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need socat socat
need chromium chromium
need mmdebstrap mmdebstrap
need systemd-nspawn systemd-container
need mke2fs e2fsprogs
need openssl openssl
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

[ ${#missing[@]} -eq 0 ] && exit 0

command_line="apt-get install -y --no-install-recommends ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test needs these Debian packages (or your system's equivalents): ${missing[*]}" >&2
  echo "This is not a Debian machine: install them with your package manager, then run npm test again." >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "npm test needs these Debian packages: ${missing[*]}" >&2
  echo "Install them once with:" >&2
  echo "  sudo apt-get update && sudo ${command_line}" >&2
  exit 1
fi

echo "Installing the Debian packages npm test needs: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# shellcheck disable=SC2086 # the package list is split on purpose
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing[*]} >/dev/null
