#!/usr/bin/env bash
# Quickstart 2: install what is missing, build everything, run every test.
#  1. the main build (clang++-19): checks, front ends, runtime, examples, and
#     the lit + unit suites through ctest;
#  2. the runtime alone with g++-12, warnings as errors, and its tests;
#  3. the runtime tests under AddressSanitizer + UndefinedBehaviorSanitizer;
#  4. the runtime tests under ThreadSanitizer.
source "$(dirname "$0")/lib.sh"
step "Checking Debian packages"
bash "$COROLINT_ROOT/scripts/setup-deps.sh"
bash "$COROLINT_ROOT/scripts/install-sarif-validator.sh" "$COROLINT_BUILD/tools"
build_tools
step "Running the test suite (ctest)"
ctest --test-dir "$COROLINT_BUILD" --output-on-failure -j "$COROLINT_JOBS"

runtime_build() { # <name> [cmake args...]
  local name=$1
  shift
  step "Runtime: $name"
  configure_and_build "$COROLINT_BUILD-$name" -DCOROLINT_BUILD_TOOLS=OFF \
    -DCOROLINT_WERROR=ON "$@"
  ctest --test-dir "$COROLINT_BUILD-$name" --output-on-failure -j "$COROLINT_JOBS"
}
runtime_build gcc -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc-12 -DCMAKE_CXX_COMPILER=g++-12
runtime_build asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DCOROLINT_SANITIZE=address,undefined
runtime_build tsan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DCOROLINT_SANITIZE=thread
step "All tests passed"
