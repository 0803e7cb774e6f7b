#!/usr/bin/env python3
"""Writes the Delta Lake fixture tables in this folder with delta-rs, and their expected contents.

    make fixtures        (or: .venv/bin/python -B Fixtures/delta/make_fixtures.py)

Each table is a folder (`people/`, `all_types/`, ...) written by delta-rs (`write_deltalake`,
`DeltaTable.delete`, overwrite mode, `optimize.compact()`, `create_checkpoint()`), except
`deletion_vector_inline/`, whose log is written here by hand (delta-rs 1.6 enables the
deletion-vector table feature but its DELETE still rewrites files, so it writes no vector).

The data is fixed, so the expected contents are deterministic; the table bytes are not:
delta-rs puts UUIDs in file names and the clock in commit timestamps. For every readable
version it writes TABLE.vN.expected.json: the version read by delta-rs
(`scripts/interop/read_delta.py --engine deltalake`), rows sorted, without engine info. It
checks that delta-rs and Polars read every version to exactly what this script meant to write
(the "model" tables of fixture_tables.py), and writes manifest.json and README.md (what each commit did, what
delta-rs wrote: protocol, schema string, stats, codecs, the checkpoint's files and schema).
Any failed check stops it with a non-zero exit.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "scripts", "interop"))

import deltalake  # noqa: E402
import polars  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from deltalake import DeltaTable, write_deltalake  # noqa: E402

import canonical  # noqa: E402
import delta_history  # noqa: E402
import read_delta  # noqa: E402

sys.path.insert(0, HERE)
import readme_writer  # noqa: E402
from fixture_tables import TABLES, table_of  # noqa: E402

MAX_TABLE_BYTES = 100_000


# ---------------------------------------------------------------------------------------------
# Facts about what delta-rs wrote (deterministic parts only)


def log_actions(path: str, version: int) -> list[dict]:
    with open(os.path.join(path, "_delta_log", f"{version:020d}.json"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def commit_summary(path: str, version: int) -> dict:
    actions = log_actions(path, version)
    kinds: dict[str, int] = {}
    data_change = set()
    for action in actions:
        (kind, body), = action.items()
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind in ("add", "remove"):
            data_change.add(bool(body.get("dataChange")))
    return {"actions": dict(sorted(kinds.items())), "dataChange": sorted(data_change)}


def data_file_facts(path: str, version: int) -> dict:
    """Codecs and writers (Parquet created_by) of the version's data files."""
    codecs, writers = set(), set()
    for uri in DeltaTable(path, version=version).file_uris():
        meta = pq.ParquetFile(uri).metadata
        writers.add(meta.created_by)
        for rg in range(meta.num_row_groups):
            for c in range(meta.num_columns):
                codecs.add(meta.row_group(rg).column(c).compression)
    return {"codecs": sorted(codecs), "created_by": sorted(writers)}


def sorted_stats(stats_text: str) -> str:
    return json.dumps(json.loads(stats_text), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def checkpoint_facts(path: str) -> dict:
    log = os.path.join(path, "_delta_log")
    names = sorted(os.listdir(log))
    (checkpoint,) = [n for n in names if n.endswith(".checkpoint.parquet")]
    with open(os.path.join(log, "_last_checkpoint"), encoding="utf-8") as f:
        last = json.load(f)
    parquet = pq.ParquetFile(os.path.join(log, checkpoint))
    table = parquet.read()
    kinds = {}
    for name in table.column_names:
        count = table.num_rows - table.column(name).null_count
        if count:
            kinds[name] = count
    return {
        "log_files": names,
        "checkpoint": checkpoint,
        "last_checkpoint_keys": sorted(last),
        "last_checkpoint": {k: v for k, v in last.items() if k != "sizeInBytes"},
        "rows": table.num_rows,
        "actions": kinds,
        "codec": sorted({parquet.metadata.row_group(0).column(c).compression
                         for c in range(parquet.metadata.num_columns)}),
        "created_by": parquet.metadata.created_by,
        "arrow_schema": parquet.schema_arrow.to_string(show_field_metadata=False,
                                                        show_schema_metadata=False),
        "parquet_schema": str(parquet.schema).split("\n", 1)[1].strip(),
    }


def fixed_size_list_probe() -> str:
    """What happens when delta-rs is given fixed_size_list<float32, 4> (recorded in README)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "t")
        table = table_of([("vec", pa.list_(pa.float32(), 4), [[1, 2, 3, 4], None], True)])
        write_deltalake(path, table)
        schema_type = json.loads(log_actions(path, 0)[2]["metaData"]["schemaString"])
        delta_type = json.dumps(schema_type["fields"][0]["type"], separators=(",", ":"))
        try:
            polars.read_delta(path)
            outcome = "Polars reads it"
        except Exception as error:  # noqa: BLE001 - the outcome is what we record
            outcome = f"Polars fails: `{type(error).__name__}: {error}`"
        return f"Delta type `{delta_type}`; {outcome}"


def stats_probe() -> str:
    """The stats delta-rs writes for long strings, NaN, inf and binary (recorded in README)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "t")
        write_deltalake(path, table_of([("s", pa.string(), ["Z" * 100 + "a", "é" * 50], True),
                                        ("nan", pa.float64(), [1.5, math.nan], True),
                                        ("inf", pa.float64(), [1.5, math.inf], True),
                                        ("b", pa.binary(), [b"x", None], True)]))
        add = next(a["add"] for a in log_actions(path, 0) if "add" in a)
        return sorted_stats(add["stats"])


# ---------------------------------------------------------------------------------------------
# Writing and checking


def expected_name(table: str, version: int) -> str:
    return f"{table}.v{version}.expected.json"


def first_difference(a: dict, b: dict) -> str:
    if a["num_rows"] != b["num_rows"]:
        return f"num_rows {a['num_rows']} vs {b['num_rows']}"
    for ca, cb in zip(a["columns"], b["columns"]):
        if ca["name"] != cb["name"] or ca["type"] != cb["type"]:
            return f"column {ca['name']}: {ca['type']} vs {cb['name']}: {cb['type']}"
        for i, (va, vb) in enumerate(zip(ca["values"], cb["values"])):
            if va != vb:
                return f"column {ca['name']} row {i}: {va!r} vs {vb!r}"
    return "different column count"


def stable_schema(value):
    """The schema with sorted keys and column-mapping physical names (col-<random uuid>)
    replaced by "col-<uuid>", so the manifest is the same on every run."""
    if isinstance(value, dict):
        return {k: "col-<uuid>" if k == "delta.columnMapping.physicalName" else stable_schema(v)
                for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [stable_schema(v) for v in value]
    return value


def table_bytes(path: str) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def make_table(name: str, build, failures: list[str]) -> dict:
    path = os.path.join(HERE, name)
    spec = build(path)
    engines = spec.get("engines", list(read_delta.ENGINES))
    history = {e["version"]: e for e in delta_history.history(path)["entries"]}
    if sorted(history) != list(range(len(spec["versions"]))):
        failures.append(f"{name}: versions {sorted(history)}, meant "
                        f"0..{len(spec['versions']) - 1}")
    versions = []
    for version, meant in enumerate(spec["versions"]):
        model = canonical.sort_rows(canonical.from_pyarrow(meant["model"]))
        got = {}
        for engine in read_delta.ENGINES:
            try:
                got[engine] = canonical.without_engine(read_delta.read(path, engine, version))
            except Exception as error:  # noqa: BLE001
                got[engine] = {"error": f"{type(error).__name__}: {error}"}
        for engine in engines:
            table = got[engine]
            if "error" in table:
                failures.append(f"{name} v{version}: {engine} failed: {table['error']}")
            elif (table["num_rows"], table["columns"]) != (model["num_rows"], model["columns"]):
                failures.append(f"{name} v{version}: {engine} reads other contents than meant "
                                f"({first_difference(model, table)})")
            elif table["version"] != version:
                failures.append(f"{name} v{version}: {engine} reports version {table['version']}")
        expected = dict(model, version=version)
        with open(os.path.join(HERE, expected_name(name, version)), "w", encoding="utf-8") as f:
            f.write(canonical.dumps(expected))
        entry = history.get(version, {})
        versions.append({
            "version": version,
            "about": meant["about"],
            "operation": entry.get("operation"),
            "operationParameters": entry.get("operationParameters"),
            **commit_summary(path, version),
            "files": entry.get("fileCount"),
            "rows": entry.get("rowCount"),
            "statsRows": entry.get("statsRowCount"),
            **data_file_facts(path, version),
            "expected": expected_name(name, version),
        })
    size = table_bytes(path)
    if size > MAX_TABLE_BYTES:
        failures.append(f"{name}: {size} bytes, over {MAX_TABLE_BYTES}")
    latest = history[max(history)]
    metadata = next(a["metaData"] for a in log_actions(path, 0) if "metaData" in a)
    out = {
        "name": name,
        "about": spec["about"],
        "writer": "hand-written log, pyarrow data" if spec.get("hand_written")
        else f"delta-rs (deltalake {deltalake.__version__})",
        "larder": ("must refuse: " + spec["larder_must_refuse"]) if "larder_must_refuse" in spec
        else "reads",
        "engines": engines,
        "protocol": latest["protocol"],
        "columns": latest["columns"],
        "configuration": dict(sorted((metadata.get("configuration") or {}).items())),
        "schemaString": stable_schema(json.loads(metadata["schemaString"])),
        "versions": versions,
    }
    if "engines_note" in spec:
        out["engines_note"] = spec["engines_note"]
    return out


def main() -> int:
    for entry in os.listdir(HERE):
        full = os.path.join(HERE, entry)
        if os.path.isdir(full) and entry in dict(TABLES):
            shutil.rmtree(full)
        elif entry.endswith(".expected.json"):
            os.remove(full)
    failures: list[str] = []
    tables = [make_table(name, build, failures) for name, build in TABLES]
    all_types_log = log_actions(os.path.join(HERE, "all_types"), 0)
    all_types_add = next(a["add"] for a in all_types_log if "add" in a)
    all_types_file = pq.ParquetFile(os.path.join(HERE, "all_types", all_types_add["path"]))
    facts = {
        "checkpoint": checkpoint_facts(os.path.join(HERE, "with_checkpoint")),
        "all_types_stats": sorted_stats(all_types_add["stats"]),
        "all_types_arrow_schema": [f"{f.name}: {f.type}" for f in all_types_file.schema_arrow],
        "all_types_created_by": all_types_file.metadata.created_by,
        "fixed_size_list": fixed_size_list_probe(),
        "stats_probe": stats_probe(),
    }
    manifest = {"writer": f"deltalake {deltalake.__version__}",
                "readers": {"deltalake": deltalake.__version__, "polars": polars.__version__,
                            "pyarrow": pa.__version__},
                "tables": tables, "facts": facts}
    with open(os.path.join(HERE, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")
    readme_writer.write(os.path.join(HERE, "README.md"), manifest)
    for t in tables:
        print(f"{t['name']}: {len(t['versions'])} versions, {t['larder']}, engines "
              f"{','.join(t['engines'])}, {table_bytes(os.path.join(HERE, t['name']))} bytes")
    for failure in failures:
        print("FAILED:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
