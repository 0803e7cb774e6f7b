#!/usr/bin/env bash
# Runs the README's command-line tour (the sh block between the <!-- tour:begin --> and
# <!-- tour:end --> markers) in a fresh directory, with `larder` meaning the given binary, and
# stops at the first command that fails. CI runs it through Tests/LarderCLITests, so the
# README cannot drift from what the tool does.
#
#   scripts/readme-tour.sh PATH/TO/larder [README.md]
set -euo pipefail
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
readme="${2:-$(dirname "${BASH_SOURCE[0]}")/../README.md}"
block="$(awk '/<!-- tour:begin -->/{on=1; next} /<!-- tour:end -->/{on=0} on && !/^```/' "$readme")"
if [ -z "$block" ]; then echo "readme-tour: no tour block in $readme" >&2; exit 2; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
larder() { "$binary" "$@"; }
while IFS= read -r line; do
  [ -z "${line// }" ] && continue
  echo "\$ $line"
  eval "$line"
done <<< "$block"
echo "readme-tour: every command ran"
