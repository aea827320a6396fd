#!/usr/bin/env bash
# Gathers what the build needs beyond LibTorch (GoogleTest, fmt, CLI11, nlohmann-json, zlib
# headers, Google Benchmark) and the Fashion-MNIST data set from Debian's packages into
# .device/root, a folder git ignores, so that it can be copied to a machine without a package
# registry (say, a GPU box with the official LibTorch 2.x) and used there by scripts/device-check.sh.
#   scripts/device-deps.sh          # needs apt-get download (no root needed for that part)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libgtest-dev libgmock-dev googletest libfmt-dev libfmt9 libcli11-dev nlohmann-json3-dev
          zlib1g-dev libbenchmark-dev libbenchmark1debian dataset-fashion-mnist)
debs=.device/debs
root=.device/root
rm -rf "$root"
mkdir -p "$debs" "$root"
(cd "$debs" && apt-get download "${packages[@]}" >/dev/null)
for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/src"
du -sh .device/root | sed 's/^/gathered /'
