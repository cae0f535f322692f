#!/usr/bin/env bash
# Quickstart 1: install what is missing, build, and run corolint on examples/.
# The pitfalls under examples/pitfalls/*/bad.cpp are real async bugs and are
# reported; every good.cpp beside them is clean.
source "$(dirname "$0")/lib.sh"
step "Checking Debian packages"
bash "$COROLINT_ROOT/scripts/setup-deps.sh"
build_tools
step "Running corolint on examples/"
cd "$COROLINT_ROOT"
status=0
"$COROLINT_BUILD/driver/corolint" -p "$COROLINT_BUILD" \
  $(find examples -name '*.cpp' | sort) || status=$?
case $status in
  0 | 1) echo "corolint ran on examples/ (exit $status: findings are the bad forms)" >&2 ;;
  *) exit "$status" ;;
esac
