#!/usr/bin/env bash
# Downloads the four Fashion-MNIST files from the official source into data/fashion-mnist/ and
# verifies them, for systems without Debian's dataset-fashion-mnist package.
#   data/download.sh            # into data/fashion-mnist/ (found automatically by every binary)
#   data/download.sh DIR        # elsewhere; then pass --data-dir DIR or set FASHION_MNIST_DIR
# A file is only moved into place once its checksums match, so an interrupted or corrupted
# download never leaves a damaged file behind.
set -euo pipefail

base_url="http://fashion-mnist.s3-website.eu-central-1.amazonaws.com"
target="${1:-$(cd "$(dirname "$0")" && pwd)/fashion-mnist}"

# name, MD5 of the .gz as published by the source, SHA-256 of the decompressed IDX file.
# (Debian repacks the .gz files, so only the decompressed checksums match its copies too.)
files=(
  "train-images-idx3-ubyte 8d4fb7e6c68d591d4c3dfef9ec88bf0d c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"
  "train-labels-idx1-ubyte 25c81989df183df01b3e8a0aad5dffbe bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"
  "t10k-images-idx3-ubyte bef4ecab320f06d8554ea6380940ec79 5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"
  "t10k-labels-idx1-ubyte bb300cfdad3c16e7a12a480ee83cd310 0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"
)

fetch() {  # fetch URL FILE
  if command -v curl >/dev/null; then
    curl --fail --location --silent --show-error --output "$2" "$1"
  elif command -v wget >/dev/null; then
    wget --quiet --output-document="$2" "$1"
  else
    echo "download.sh: error: neither curl nor wget is installed" >&2
    exit 1
  fi
}

mkdir -p "$target"
for entry in "${files[@]}"; do
  read -r name md5 sha256 <<<"$entry"
  final="$target/$name.gz"
  if [ -f "$final" ] && [ "$(gzip -dc "$final" | sha256sum | cut -d' ' -f1)" = "$sha256" ]; then
    echo "ok      $final"
    continue
  fi
  partial="$final.part"
  echo "fetch   $base_url/$name.gz"
  fetch "$base_url/$name.gz" "$partial"
  if [ "$(md5sum <"$partial" | cut -d' ' -f1)" != "$md5" ] ||
     [ "$(gzip -dc "$partial" | sha256sum | cut -d' ' -f1)" != "$sha256" ]; then
    rm -f "$partial"
    echo "download.sh: error: $name.gz does not match its published checksum; try again later" >&2
    exit 1
  fi
  mv "$partial" "$final"
  echo "ok      $final"
done
echo "Fashion-MNIST is in $target"
