#!/usr/bin/env python3
"""Writes the Parquet fixtures in this folder with pyarrow, and their expected contents.

    make fixtures        (or: .venv/bin/python -B Fixtures/parquet/make_fixtures.py)

Deterministic: the same pyarrow version writes byte-identical files. For each NAME.parquet it
writes NAME.expected.json, the file read back by pyarrow in the canonical JSON of
scripts/interop/read_parquet.py (format in scripts/interop/canonical.py), so Swift tests
compare without Python. It checks what was written from the file's own bytes
(scripts/interop/parquet_layout.py: codec, page types, encodings, row groups, page counts),
checks that DuckDB and Polars read every file to the same canonical JSON, and writes
manifest.json and README.md. Any failed check stops it with a non-zero exit.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "scripts", "interop"))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import canonical  # noqa: E402
import parquet_layout  # noqa: E402
import read_parquet  # noqa: E402

ROWS = 160
SEED = 20261123


# ---------------------------------------------------------------------------------------------
# Data


def base_table(rows: int = ROWS, all_null: bool = False) -> pa.Table:
    """Every Larder type, nulls in every nullable column, edge values in the first rows."""
    rng = random.Random(SEED)

    def nullable(values, every):
        return [None if all_null or (i % every == every - 1) else v for i, v in enumerate(values)]

    def take(edges, make):
        return [edges[i] if i < len(edges) else make(i) for i in range(rows)]

    i32 = take([0, -1, 1, 2**31 - 1, -(2**31)], lambda i: rng.randint(-1000, 1000))
    i64 = take([0, -1, 2**63 - 1, -(2**63), 2**53 + 1], lambda i: rng.randint(-10**12, 10**12))
    float_edges = [0.0, -0.0, math.nan, math.inf, -math.inf, 1.5, -2.25]
    f32_edges = float_edges + [1.401298464324817e-45, 3.4028234663852886e38, 0.1]
    f64_edges = float_edges + [5e-324, 1.7976931348623157e308, 0.1, 2.2250738585072014e-308]
    # Random values with short decimal forms keep the expected JSON small; the edge values
    # (0.1 among them) cover the long ones.
    f32 = take(f32_edges, lambda i: rng.randint(-64_000, 64_000) / 64)
    f64 = take(f64_edges, lambda i: round(rng.uniform(-1e6, 1e6), 4))
    flag = [rng.random() < 0.5 for _ in range(rows)]
    vocabulary = ["", "a", "larder", "héllo wörld", "日本語のテキスト", "🍞🧀🍷", "e\u0301",
                  "tab\tnew\nline", "quote\"back\\slash"]
    long_text = "".join(chr(0x41 + (i * 7) % 26) for i in range(3000))
    strings = take(vocabulary + [long_text, long_text[::-1] + "∑"],
                   lambda i: vocabulary[rng.randrange(len(vocabulary))] if i % 3 else f"user-{i:05d}")
    binary = take([b"", b"\x00", b"\xff\x00\xfe", bytes(range(256))],
                  lambda i: bytes(rng.randrange(256) for _ in range(rng.randrange(0, 12))))
    us_edges = [0, -1, 1_700_000_000_123_456, -62_135_596_800_000_000, 253_402_300_799_999_999]
    ts_us = take(us_edges, lambda i: 1_700_000_000_000_000 + rng.randrange(10**12))
    ts_ms = take([0, -1, 1_700_000_000_123], lambda i: 1_600_000_000_000 + rng.randrange(10**10))
    # Nanosecond values are whole microseconds, so the canonical (microsecond) form is exact.
    ts_ns = take([0, -1000, 1_700_000_000_123_456_000],
                 lambda i: (1_650_000_000_000_000 + rng.randrange(10**12)) * 1000)
    days = take([0, -1, 19_000, -719_162, 2_932_896], lambda i: 18_000 + rng.randrange(3000))
    vectors = take([[0.0, -0.0, 1.0, -1.0], [math.nan, math.inf, -math.inf, 0.5]],
                   lambda i: [rng.randint(-512, 512) / 256 for _ in range(4)])

    columns = [
        ("id", pa.int64(), list(range(rows)), False),
        ("i32", pa.int32(), nullable(i32, 7), True),
        ("i64", pa.int64(), nullable(i64, 11), True),
        ("f32", pa.float32(), nullable(f32, 13), True),
        ("f64", pa.float64(), nullable(f64, 13), True),
        ("flag", pa.bool_(), nullable(flag, 5), True),
        ("s", pa.string(), nullable(strings, 17), True),
        ("bin", pa.binary(), nullable(binary, 9), True),
        ("ts_us_utc", pa.timestamp("us", tz="UTC"), nullable(ts_us, 8), True),
        ("ts_ms", pa.timestamp("ms"), nullable(ts_ms, 10), True),
        ("ts_ns", pa.timestamp("ns"), nullable(ts_ns, 12), True),
        ("day", pa.date32(), nullable(days, 6), True),
        ("vec", pa.list_(pa.float32()), nullable(vectors, 4), True),
    ]
    return table_of(columns)


def table_of(columns) -> pa.Table:
    fields = [pa.field(name, t, nullable=n) for name, t, _, n in columns]
    arrays = [pa.array(values, type=t) for _, t, values, _ in columns]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def fixed_vector_table() -> pa.Table:
    rows = 40
    rng = random.Random(SEED + 1)
    vectors = [None if i % 5 == 2 else [round(rng.uniform(-1, 1), 4) for _ in range(4)]
               for i in range(rows)]
    vectors[0] = [math.nan, -0.0, math.inf, 3.4028234663852886e38]
    return table_of([
        ("id", pa.int64(), list(range(rows)), False),
        ("embedding", pa.list_(pa.float32(), 4), vectors, True),
    ])


def list_edge_table() -> pa.Table:
    """Lists Larder's fixed-dimension vectors cannot hold: ragged, empty, null elements."""
    lists = [[1.0, 2.0, 3.0, 4.0], [], None, [None], [1.0, None, 3.0], [0.5], [1.0, 2.0],
             [None, None, None, None], [9.0, 8.0, 7.0, 6.0, 5.0], None, [-0.0]]
    return table_of([
        ("id", pa.int64(), list(range(len(lists))), False),
        ("ragged", pa.list_(pa.float32()), lists, True),
    ])


def int96_table() -> pa.Table:
    # INT96 values stay inside the int64-nanosecond range (1677..2262): DuckDB and Polars read
    # INT96 through nanoseconds and wrap around outside it (pyarrow, told `us` by the stored
    # Arrow schema, does not).
    micros = [0, -1, 1_700_000_000_123_456, None, -5_000_000_000_000_001, 86_400_000_000,
              None, 1_000_000, 9_000_000_000_000_000, 1_234_567]
    return table_of([
        ("id", pa.int64(), list(range(len(micros))), False),
        ("ts", pa.timestamp("us"), micros, True),
    ])


# ---------------------------------------------------------------------------------------------
# Fixture list: name -> (table, write_table options, description)

CODECS = ["snappy", "gzip", "zstd", "lz4", "none"]


def fixtures():
    base = base_table()
    out = []
    for codec in CODECS:
        for page_version in ("1.0", "2.0"):
            for dictionary in (True, False):
                out.append({
                    "stem": None,   # named after the codec found in the file
                    "table": base,
                    "options": dict(compression=codec, data_page_version=page_version,
                                    use_dictionary=dictionary, data_page_size=512,
                                    write_batch_size=32),
                    "about": "all types, one row group, several pages per column chunk",
                })
    out += [
        {"stem": "multi_rowgroup_pages_v2", "table": base,
         "options": dict(compression="zstd", data_page_version="2.0", use_dictionary=True,
                         row_group_size=64, data_page_size=512, write_batch_size=16),
         "about": "3 row groups (64+64+32 rows), many small pages"},
        {"stem": "multi_rowgroup_pages_v1", "table": base,
         "options": dict(compression="snappy", data_page_version="1.0", use_dictionary=False,
                         row_group_size=50, data_page_size=256, write_batch_size=8),
         "about": "4 row groups (50+50+50+10 rows), many small PLAIN pages"},
        {"stem": "dictionary_fallback", "table": base,
         "options": dict(compression="snappy", data_page_version="1.0", use_dictionary=True,
                         dictionary_pagesize_limit=200, data_page_size=1024,
                         write_batch_size=16),
         "about": "dictionary outgrows its limit mid-chunk: dictionary pages, then PLAIN pages"},
        {"stem": "no_arrow_schema", "table": base,
         "options": dict(compression="zstd", data_page_version="2.0", store_schema=False),
         "about": "no ARROW:schema metadata: types come from Parquet logical types alone"},
        {"stem": "legacy_format_1_0", "table": base,
         "options": dict(compression="snappy", version="1.0"),
         "about": "format version 1.0: converted types only, ns timestamps coerced to us"},
        {"stem": "empty", "table": base.slice(0, 0),
         "options": dict(compression="zstd"), "about": "all types, zero rows"},
        {"stem": "all_nulls", "table": base_table(rows=10, all_null=True),
         "options": dict(compression="zstd"), "about": "every nullable column entirely null"},
        {"stem": "vector_fixed_size", "table": fixed_vector_table(),
         "options": dict(compression="zstd"),
         "about": "fixed_size_list<float32, 4> with null rows (Larder vector, dimension 4)"},
        {"stem": "list_edge_cases", "table": list_edge_table(),
         "options": dict(compression="zstd"),
         "about": "list<float32>: ragged, empty, null lists and null elements"},
        {"stem": "int96", "table": int96_table(),
         "options": dict(compression="snappy", use_deprecated_int96_timestamps=True),
         "about": "timestamps as deprecated INT96, years 1811..2255"},
    ]
    return out


# ---------------------------------------------------------------------------------------------
# Writing and checking


def codec_stem(codec: str, options: dict) -> str:
    page = "v2" if options["data_page_version"] == "2.0" else "v1"
    dictionary = "dict" if options["use_dictionary"] else "plain"
    return f"{codec.lower()}_{page}_{dictionary}"


def summarize(layout: dict) -> dict:
    codecs, page_types, encodings, pages = set(), set(), set(), 0
    max_pages, fallback_chunks = 0, 0
    for rg in layout["row_groups"]:
        for col in rg["columns"]:
            codecs.add(col["codec"])
            data_pages = [p for p in col["pages"] if p["type"] != "DICTIONARY_PAGE"]
            max_pages = max(max_pages, len(data_pages))
            has_dictionary = len(data_pages) < len(col["pages"])
            if has_dictionary and any(p["encoding"] == "PLAIN" for p in data_pages):
                fallback_chunks += 1   # a dictionary page, then PLAIN data pages
            pages += len(col["pages"])
            for p in col["pages"]:
                page_types.add(p["type"])
                encodings.add(p["encoding"])
    return {"codecs": sorted(codecs), "page_types": sorted(page_types),
            "encodings": sorted(encodings), "row_groups": len(layout["row_groups"]),
            "pages": pages, "max_data_pages_per_chunk": max_pages,
            "dictionary_fallback_chunks": fallback_chunks}


def write_fixture(fx: dict, tmp: str) -> dict:
    pq.write_table(fx["table"], tmp, **fx["options"])
    summary = summarize(parquet_layout.layout(tmp))
    stem = fx["stem"]
    if stem is None:
        (codec,) = summary["codecs"]
        stem = codec_stem(codec, fx["options"])
    path = os.path.join(HERE, stem + ".parquet")
    os.replace(tmp, path)
    return {"stem": stem, "path": path, "summary": summary}


def check(fx: dict, result: dict) -> list[str]:
    """Checks that the file is what its name and options promise."""
    problems, s, o = [], result["summary"], fx["options"]
    want_page = "DATA_PAGE_V2" if o.get("data_page_version") == "2.0" else "DATA_PAGE"
    if fx["table"].num_rows and want_page not in s["page_types"]:
        problems.append(f"no {want_page} pages")
    has_dictionary = "DICTIONARY_PAGE" in s["page_types"]
    if fx["table"].num_rows and has_dictionary != o.get("use_dictionary", True):
        problems.append(f"dictionary pages present: {has_dictionary}")
    if o.get("row_group_size") and s["row_groups"] < 2:
        problems.append("expected several row groups")
    if o.get("data_page_size", 1 << 20) <= 1024 and s["max_data_pages_per_chunk"] < 2:
        problems.append("expected several data pages in a column chunk")
    if "dictionary_pagesize_limit" in o and s["dictionary_fallback_chunks"] == 0:
        problems.append("expected a fallback to PLAIN data pages")
    return problems


def main() -> int:
    for name in os.listdir(HERE):
        if name.endswith(".parquet") or name.endswith(".expected.json"):
            os.remove(os.path.join(HERE, name))
    tmp = os.path.join(HERE, ".writing.parquet")
    manifest, failures = [], []
    for fx in fixtures():
        result = write_fixture(fx, tmp)
        stem, path = result["stem"], result["path"]
        failures += [f"{stem}: {p}" for p in check(fx, result)]
        expected = read_parquet.read(path, "pyarrow")
        native_pyarrow = expected["engine"]["native_types"]
        expected = canonical.without_engine(expected)
        with open(os.path.join(HERE, stem + ".expected.json"), "w", encoding="utf-8") as f:
            f.write(canonical.dumps(expected))
        for engine in ("duckdb", "polars"):
            got = canonical.without_engine(read_parquet.read(path, engine))
            if got != expected:
                failures.append(f"{stem}: {engine} reads different contents than pyarrow "
                                f"({first_difference(expected, got)})")
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        manifest.append({
            "file": stem + ".parquet", "expected": stem + ".expected.json",
            "about": fx["about"], "rows": fx["table"].num_rows,
            "options": {k: v for k, v in fx["options"].items()},
            "arrow_types": native_pyarrow, "sha256": digest, **result["summary"],
            "bytes": os.path.getsize(path),
        })
    with open(os.path.join(HERE, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"writer": f"pyarrow {pa.__version__}", "files": manifest}, f, indent=1)
        f.write("\n")
    write_readme(manifest)
    print_table(manifest)
    for failure in failures:
        print("FAILED:", failure, file=sys.stderr)
    return 1 if failures else 0


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


def table_rows(manifest):
    yield ("file", "rows", "row groups", "codec", "pages", "encodings", "bytes")
    for m in manifest:
        kinds = ",".join(t.replace("DATA_PAGE_V2", "v2").replace("DATA_PAGE", "v1")
                         .replace("DICTIONARY_PAGE", "dict") for t in m["page_types"])
        yield (m["file"], str(m["rows"]), str(m["row_groups"]), ",".join(m["codecs"]) or "-",
               kinds or "-", ",".join(m["encodings"]) or "-", str(m["bytes"]))


def print_table(manifest) -> None:
    rows = list(table_rows(manifest))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    total = sum(m["bytes"] for m in manifest)
    print(f"{len(manifest)} files, {total} bytes of Parquet")


def write_readme(manifest) -> None:
    lines = [
        "# Parquet fixtures",
        "",
        "Small Parquet files written by pyarrow, for Larder's interoperability tests. Generated by",
        "`make_fixtures.py` (run `make fixtures`; it uses `.venv/`, see `scripts/setup-python.sh`);",
        "do not edit by hand. The same pyarrow version writes byte-identical files.",
        "",
        "- `NAME.parquet`: the file.",
        "- `NAME.expected.json`: its contents as pyarrow reads them, in the canonical JSON of",
        "  `scripts/interop/read_parquet.py` (types and value encoding: `scripts/interop/canonical.py`;",
        "  floats are strings holding Python `repr`, so comparisons are bit-exact).",
        "  DuckDB and Polars read every file to the same JSON (`make_fixtures.py` checks it).",
        "- `manifest.json`: per file, the writer options, Arrow types, codec, page types and",
        "  encodings found in the file's own bytes (`scripts/interop/parquet_layout.py`), size, sha256.",
        "",
        "The main schema (`id` int64 required; `i32`, `i64`, `f32`, `f64` with NaN, ±inf, -0.0,",
        "subnormals and extremes; `flag` bool; `s` string with unicode, empty and 3000-character",
        "values; `bin` binary; `ts_us_utc` timestamp[us, UTC]; `ts_ms` timestamp[ms];",
        "`ts_ns` timestamp[ns] (whole microseconds); `day` date32; `vec` list<float32> of",
        "4 values) has nulls in every nullable column. `lz4` in pyarrow writes LZ4_RAW (codec 7);",
        "the files are named by the codec found in the file.",
        "",
        "| file | rows | row groups | codec | pages | encodings | about |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m, r in zip(manifest, list(table_rows(manifest))[1:]):
        lines.append("| " + " | ".join(f"`{r[0]}`" if i == 0 else r[i] for i in range(6))
                     + f" | {m['about']} |")
    lines += [
        "",
        "Not covered here: the deprecated Hadoop-framed LZ4 codec (5), which pyarrow no longer",
        "writes; files from other writers (Spark, parquet-mr) belong in a sibling folder.",
        "",
    ]
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
