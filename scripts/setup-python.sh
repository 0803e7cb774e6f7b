#!/usr/bin/env bash
# Creates .venv/ with the Python tools of the interoperability tests
# (scripts/requirements-interop.txt). Idempotent: a stamp in .venv/ holds a hash of the
# requirements and the interpreter version, and a matching stamp means nothing to do (that check
# imports pyarrow, duckdb, polars and deltalake but only finds great_expectations, whose import
# takes seconds; the full import runs after each install).
# PYTHON=/path/to/python3 picks the interpreter that creates the venv (default: python3).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"
requirements="$root/scripts/requirements-interop.txt"
stamp="$venv/.larder-requirements.sha256"
python=${PYTHON:-python3}

if ! command -v "$python" >/dev/null 2>&1; then
    echo "setup-python: '$python' not found; install Python 3.10+ (or run scripts/setup-apt.sh)" >&2
    exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "setup-python: $("$python" --version 2>&1) is too old; Python 3.10+ is needed" >&2
    exit 1
fi

want=$( { cat "$requirements"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]] \
    && "$venv/bin/python" -c 'import pyarrow, duckdb, polars, deltalake' 2>/dev/null \
    && "$venv/bin/python" -c 'import importlib.util as u; assert u.find_spec("great_expectations")' 2>/dev/null; then
    echo "setup-python: .venv is up to date"
    exit 0
fi

start=$SECONDS
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
    echo "setup-python: creating .venv with $("$python" --version 2>&1)"
    rm -rf "$venv"
    if ! "$python" -m venv "$venv"; then
        echo "setup-python: '$python -m venv' failed; on Debian run scripts/setup-apt.sh (python3-venv)" >&2
        exit 1
    fi
fi

echo "setup-python: installing scripts/requirements-interop.txt into .venv"
rm -f "$stamp"
PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$venv/bin/python" -m pip install --quiet --requirement "$requirements"
"$venv/bin/python" -c 'import pyarrow, duckdb, polars, deltalake, great_expectations'
echo "$want" > "$stamp"
echo "setup-python: done in $((SECONDS - start))s ($("$venv/bin/python" -c 'import pyarrow, duckdb, polars, deltalake as d, importlib.metadata as m; gx = m.version("great_expectations"); print(f"pyarrow {pyarrow.__version__}, duckdb {duckdb.__version__}, polars {polars.__version__}, deltalake {d.__version__}, great_expectations {gx}")'))"
