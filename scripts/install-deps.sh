#!/usr/bin/env bash
# Installs everything the course needs on Debian 12 (bookworm). Idempotent: run it again any
# time; when every package is there already it only checks, in about a second. Needs root: run
# as root, or as a user with sudo (it asks sudo itself).
#   scripts/install-deps.sh                 # what a student needs: build, check, run
#   scripts/install-deps.sh --instructor    # and the instructors' tools, the benches, CI
set -euo pipefail

# A student's: the compiler, LibTorch, the data set, the test and formatting libraries.
packages=(
  cmake g++ ninja-build git
  clang lld               # the presets' compiler and linker: one stub rebuilt in ~3 s, not ~9-15 s
  libtorch-dev            # LibTorch 1.13 (CPU)
  dataset-fashion-mnist   # the real data set, in /usr/share/datasets/fashion-mnist
  libgtest-dev libfmt-dev libcli11-dev zlib1g-dev nlohmann-json3-dev
  gettext                 # msgfmt: po/es.po, the Spanish messages, compiled into the programs
  libopenblas0-openmp     # optimized BLAS, OpenMP build (see "Performance" in README.md)
  libgloo-dev             # Gloo's headers: c10d's Gloo backend for homework --nproc N
  python3-torch           # the same LibTorch from Python: exercise 06's model, the lessons' twins
)
# The instructors' (and CI's): course_grade's sandbox and archives, the benches.
instructor_packages=(
  bubblewrap libarchive-dev  # course grade: the sandbox, and reading .zip / .tar.gz submissions
  libbenchmark-dev           # bench/
)
case ${1:-} in
  --instructor) packages+=("${instructor_packages[@]}") ;;
  "") ;;
  -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "install-deps.sh: error: unknown option '$1' (use --instructor, or nothing)" >&2; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then exec sudo -- "$0" "$@"; fi
  echo "install-deps.sh: error: run it as root (su -c scripts/install-deps.sh), or install sudo" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# libtorch-dev links whatever libblas.so.3 / liblapack.so.3 the system selects, by default the
# slow reference BLAS. Select OpenBLAS's OpenMP build: it shares LibTorch's OpenMP thread pool,
# so --threads sets both and they never fight over the cores (the pthread build did: 3-4x slower).
arch_dir=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for library in libblas.so.3 liblapack.so.3; do
  update-alternatives --set "$library-$(basename "$arch_dir")" \
    "$arch_dir/openblas-openmp/$library" >/dev/null
done
echo "dependencies ready: $(readlink -f "$arch_dir/libblas.so.3")"
