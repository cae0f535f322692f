# Shared by scripts/examples.sh and scripts/test.sh. Sourced, not run.
set -euo pipefail
COROLINT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COROLINT_BUILD=${COROLINT_BUILD:-$COROLINT_ROOT/build}
COROLINT_JOBS=${COROLINT_JOBS:-$(nproc)}

step() { printf '\n==> %s\n' "$*" >&2; }

# configure_and_build <build dir> [cmake args...]: configures once, then
# only rebuilds what changed (ninja), so a second run takes seconds.
configure_and_build() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$COROLINT_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  fi
  if ! ninja -C "$dir" -j "$COROLINT_JOBS" >"$dir/build.log" 2>&1; then
    tail -n 60 "$dir/build.log" >&2
    echo "build in $dir failed (full log: $dir/build.log)" >&2
    return 1
  fi
  grep -E 'warning:' "$dir/build.log" >&2 || true
}

build_tools() {
  step "Building corolint (clang++-19)"
  configure_and_build "$COROLINT_BUILD" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19
}
