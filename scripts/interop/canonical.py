"""Canonical JSON for Parquet contents, shared by read_parquet.py, write_parquet.py,
read_delta.py and the fixture scripts (Fixtures/parquet/, Fixtures/delta/).

A table is one JSON object:

    {"num_rows": N,
     "columns": [{"name": "...", "type": "<canonical type>", "values": [...]}, ...],
     "version": V,             # only in read_delta.py output: the Delta table version read
     "engine": {...}}          # only in read_parquet.py / read_delta.py output; never compared

Canonical types are Larder's names (LarderColumnar.DataType):

    int32 int64 float32 float64 bool string binary timestamp date array<float32>

`array<float32>` is any list of float32 (variable LIST, large list or fixed-size list): the
engines disagree on whether a fixed-size list survives a Parquet round trip, so fixedness is
reported only in `engine.native_types`. A type outside this list is reported as
`unsupported:<native type>` with best-effort values.

Values, one JSON value per row (null is null everywhere):

    int32, int64   JSON integer
    float32/64     JSON *string*: Python repr() of the value widened to a double, e.g. "0.1",
                   "0.10000000149011612" (float32 0.1), "-0.0", "5e-324", "nan", "inf", "-inf".
                   repr is the shortest string that parses back to the same double, so the
                   comparison is bit-exact (except NaN payloads and sign, all "nan"). Swift
                   parses it with Double(String) and, for float32, converts with Float(double),
                   which is exact.
    bool           JSON true/false
    string         JSON string
    binary         lowercase hex string ("" for empty)
    timestamp      JSON integer: microseconds since 1970-01-01T00:00:00Z, whatever the stored
                   unit (s, ms, us, ns, INT96) and whether or not it is UTC-adjusted;
                   nanoseconds are floor-divided by 1000
    date           JSON integer: days since 1970-01-01
    array<float32> JSON array of float strings (as above) or null elements
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Iterable

CANONICAL_TYPES = (
    "int32", "int64", "float32", "float64", "bool", "string", "binary",
    "timestamp", "date", "array<float32>",
)

_FIXED_VECTOR = re.compile(r"^array<float32>\[(\d+)\]$")


# ---------------------------------------------------------------------------------------------
# Value encoding


def encode_float(x: Any) -> str | None:
    if x is None:
        return None
    return repr(float(x))


def decode_float(s: Any) -> float | None:
    if s is None:
        return None
    if not isinstance(s, str):
        raise ValueError(f"float values must be JSON strings, got {s!r}")
    return float(s)


def encode_binary(b: Any) -> str | None:
    return None if b is None else bytes(b).hex()


def floor_to_micros(value: int | None, unit: str) -> int | None:
    if value is None:
        return None
    factor = {"s": 1_000_000, "ms": 1_000, "us": 1}.get(unit)
    if factor is not None:
        return int(value) * factor
    if unit == "ns":
        return int(value) // 1_000
    raise ValueError(f"unknown time unit {unit!r}")


def encode_values(canonical_type: str, values: Iterable[Any]) -> list:
    """Encode already-normalized Python values (ints for timestamp/date) by canonical type."""
    if canonical_type in ("float32", "float64"):
        return [encode_float(v) for v in values]
    if canonical_type == "array<float32>":
        return [None if v is None else [encode_float(x) for x in v] for v in values]
    if canonical_type == "binary":
        return [encode_binary(v) for v in values]
    if canonical_type in ("int32", "int64", "timestamp", "date"):
        return [None if v is None else int(v) for v in values]
    if canonical_type == "bool":
        return [None if v is None else bool(v) for v in values]
    if canonical_type == "string":
        return [None if v is None else str(v) for v in values]
    return [_best_effort(v) for v in values]


def _best_effort(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return encode_float(v)
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    if isinstance(v, (list, tuple)):
        return [_best_effort(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _best_effort(x) for k, x in v.items()}
    return str(v)


# ---------------------------------------------------------------------------------------------
# Serialization


def dumps(table: dict) -> str:
    """Deterministic text: one column per line, UTF-8, no float formatting left to json."""
    def one(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    lines = ["{" + f'"num_rows":{int(table["num_rows"])},"columns":[']
    cols = table["columns"]
    for i, col in enumerate(cols):
        lines.append(one(col) + ("," if i + 1 < len(cols) else ""))
    tail = "]"
    if "version" in table:          # a Delta table version (read_delta.py); never compared
        tail += ',"version":' + one(int(table["version"]))
    if "engine" in table:
        tail += ',"engine":' + one(table["engine"])
    lines.append(tail + "}")
    return "\n".join(lines) + "\n"


def without_engine(table: dict) -> dict:
    """The table without its "engine" key (a "version" key, when there is one, stays)."""
    out = {"num_rows": table["num_rows"], "columns": table["columns"]}
    if "version" in table:
        out["version"] = table["version"]
    return out


def load(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        table = json.load(f)
    if not isinstance(table, dict) or "columns" not in table:
        raise ValueError(f"{path}: not a canonical table (no 'columns')")
    if "num_rows" not in table:
        table["num_rows"] = len(table["columns"][0]["values"]) if table["columns"] else 0
    for col in table["columns"]:
        if len(col["values"]) != table["num_rows"]:
            raise ValueError(f"{path}: column {col['name']!r} has {len(col['values'])} values, "
                             f"num_rows is {table['num_rows']}")
    return table


# ---------------------------------------------------------------------------------------------
# pyarrow


def pyarrow_canonical_type(t) -> str:
    import pyarrow as pa
    if pa.types.is_dictionary(t):
        return pyarrow_canonical_type(t.value_type)
    if pa.types.is_int32(t):
        return "int32"
    if pa.types.is_int64(t):
        return "int64"
    if pa.types.is_float32(t):
        return "float32"
    if pa.types.is_float64(t):
        return "float64"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return "binary"
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_date32(t):
        return "date"
    if (pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t)) \
            and pa.types.is_float32(t.value_type):
        return "array<float32>"
    return f"unsupported:{t}"


def from_pyarrow(table) -> dict:
    """Canonical table (without engine info) from a pyarrow.Table."""
    import pyarrow as pa
    import pyarrow.compute as pc
    columns = []
    for field, chunked in zip(table.schema, table.columns):
        t = field.type
        if pa.types.is_dictionary(t):
            chunked = chunked.cast(t.value_type)
            t = t.value_type
        ctype = pyarrow_canonical_type(t)
        if ctype == "timestamp":
            raw = pc.cast(chunked, pa.int64()).to_pylist()
            values = [floor_to_micros(v, t.unit) for v in raw]
        elif ctype == "date":
            values = pc.cast(chunked, pa.int32()).to_pylist()
        else:
            values = chunked.to_pylist()
        columns.append({"name": field.name, "type": ctype, "values": encode_values(ctype, values)})
    return {"num_rows": table.num_rows, "columns": columns}


def to_pyarrow(table: dict):
    """A pyarrow.Table from a canonical table. Types: int32 -> int32, ..., timestamp ->
    timestamp[us, tz=UTC], date -> date32, array<float32> -> list<float32>,
    array<float32>[D] -> fixed_size_list<float32, D>. A column may carry "nullable": false."""
    import pyarrow as pa
    fields, arrays = [], []
    for col in table["columns"]:
        ctype, vals = col["type"], col["values"]
        fixed = _FIXED_VECTOR.match(ctype)
        if ctype in ("float32", "float64"):
            pa_type = pa.float32() if ctype == "float32" else pa.float64()
            data = [decode_float(v) for v in vals]
        elif ctype == "array<float32>" or fixed:
            pa_type = pa.list_(pa.float32(), int(fixed.group(1))) if fixed else pa.list_(pa.float32())
            data = [None if v is None else [decode_float(x) for x in v] for v in vals]
        elif ctype == "binary":
            pa_type, data = pa.binary(), [None if v is None else bytes.fromhex(v) for v in vals]
        else:
            simple = {
                "int32": pa.int32(), "int64": pa.int64(), "bool": pa.bool_(),
                "string": pa.string(), "timestamp": pa.timestamp("us", tz="UTC"),
                "date": pa.date32(),
            }
            if ctype not in simple:
                raise ValueError(f"column {col['name']!r}: cannot write canonical type {ctype!r}")
            pa_type, data = simple[ctype], vals
        nullable = bool(col.get("nullable", True))
        fields.append(pa.field(col["name"], pa_type, nullable=nullable))
        arrays.append(pa.array(data, type=pa_type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


# ---------------------------------------------------------------------------------------------
# DuckDB


def duckdb_canonical_type(sql_type: str) -> str:
    t = sql_type.upper()
    simple = {
        "INTEGER": "int32", "BIGINT": "int64", "FLOAT": "float32", "DOUBLE": "float64",
        "BOOLEAN": "bool", "VARCHAR": "string", "BLOB": "binary", "DATE": "date",
        "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamp",
        "TIMESTAMP_S": "timestamp", "TIMESTAMP_MS": "timestamp", "TIMESTAMP_NS": "timestamp",
    }
    if t in simple:
        return simple[t]
    if re.fullmatch(r"FLOAT\[\d*\]", t):
        return "array<float32>"
    return f"unsupported:{sql_type}"


def from_duckdb(path: str) -> tuple[dict, list[str]]:
    """Read with DuckDB's own Parquet reader: `SELECT ... FROM read_parquet(?)`. Timestamps and
    dates are turned into integers in SQL, so no Python datetime or time zone is involved."""
    import duckdb
    con = duckdb.connect()
    described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
    names = [row[0] for row in described]
    sql_types = [row[1] for row in described]
    ctypes = [duckdb_canonical_type(t) for t in sql_types]
    exprs = []
    for name, sql_type, ctype in zip(names, sql_types, ctypes):
        q = '"' + name.replace('"', '""') + '"'
        if sql_type.upper() == "TIMESTAMP_NS":
            exprs.append(f"epoch_ns({q})")       # floor-divided below; epoch_us truncates
        elif ctype == "timestamp":
            exprs.append(f"epoch_us({q})")
        elif ctype == "date":
            exprs.append(f"({q} - DATE '1970-01-01')")
        else:
            exprs.append(q)
    select = ", ".join(exprs) if exprs else "*"
    rows = con.execute(f"SELECT {select} FROM read_parquet(?)", [path]).fetchall()
    num_rows = con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0]
    columns = []
    for i, (name, sql_type, ctype) in enumerate(zip(names, sql_types, ctypes)):
        values = [row[i] for row in rows]
        if sql_type.upper() == "TIMESTAMP_NS":
            values = [floor_to_micros(v, "ns") for v in values]
        columns.append({"name": name, "type": ctype, "values": encode_values(ctype, values)})
    return {"num_rows": int(num_rows), "columns": columns}, sql_types


# ---------------------------------------------------------------------------------------------
# Polars


def polars_canonical_type(dtype) -> str:
    import polars as pl
    simple = {
        pl.Int32: "int32", pl.Int64: "int64", pl.Float32: "float32", pl.Float64: "float64",
        pl.Boolean: "bool", pl.String: "string", pl.Binary: "binary", pl.Date: "date",
    }
    for k, v in simple.items():
        if dtype == k:
            return v
    if isinstance(dtype, pl.Datetime):
        return "timestamp"
    if isinstance(dtype, (pl.List, pl.Array)) and dtype.inner == pl.Float32:
        return "array<float32>"
    return f"unsupported:{dtype}"


def from_polars(path: str) -> tuple[dict, list[str]]:
    """Read with Polars' own (Rust) Parquet reader."""
    import polars as pl
    return from_polars_frame(pl.read_parquet(path))


def from_polars_frame(df) -> tuple[dict, list[str]]:
    """Canonical table (without engine info) and Polars' type names from a polars.DataFrame."""
    import polars as pl
    columns, native = [], []
    for name, dtype in df.schema.items():
        s = df.get_column(name)
        ctype = polars_canonical_type(dtype)
        native.append(str(dtype))
        if ctype == "timestamp":
            values = [floor_to_micros(v, dtype.time_unit) for v in s.cast(pl.Int64).to_list()]
        elif ctype == "date":
            values = s.cast(pl.Int32).to_list()
        else:
            values = s.to_list()
        columns.append({"name": name, "type": ctype, "values": encode_values(ctype, values)})
    return {"num_rows": df.height, "columns": columns}, native


# ---------------------------------------------------------------------------------------------
# Row order


def _value_key(canonical_type: str, v: Any) -> tuple:
    """Sort key of one canonical value. Nulls first; floats by value with -0.0 < 0.0 and NaN
    last; arrays element by element (a prefix first); strings by code point; binary by its
    hex text (the same as by bytes). Tests/LarderTestSupport/DeltaInterop.swift
    (`CanonicalTable.sortedRows`) implements the same order."""
    if v is None:
        return (0,)
    if canonical_type in ("float32", "float64"):
        f = float(v)
        if f != f:
            return (1, 1, 0.0, 0)
        return (1, 0, f, 0 if math.copysign(1.0, f) < 0 else 1)
    if canonical_type.startswith("array<float32>"):
        return (1, tuple(_value_key("float32", x) for x in v))
    if isinstance(v, (bool, int, str)):
        return (1, v)
    return (1, json.dumps(v, sort_keys=True))


def sort_rows(table: dict, sort_by: list[str] | None = None) -> dict:
    """The table with its rows sorted by the `sort_by` columns, then by every column in
    order (so the order is total: rows that tie on every column are identical). Without
    `sort_by`, by every column in order. Other keys ("version", "engine") are kept."""
    columns = table["columns"]
    names = [c["name"] for c in columns]
    for name in sort_by or []:
        if name not in names:
            raise ValueError(f"cannot sort by {name!r}: the columns are {', '.join(names)}")
    order = [names.index(n) for n in (sort_by or [])] + list(range(len(columns)))
    keys = [[_value_key(c["type"], v) for v in c["values"]] for c in columns]
    rows = sorted(range(int(table["num_rows"])), key=lambda r: tuple(keys[i][r] for i in order))
    out = dict(table)
    out["columns"] = [dict(c, values=[c["values"][r] for r in rows]) for c in columns]
    return out
