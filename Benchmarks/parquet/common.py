"""Shared definitions for the Parquet benchmark harness (used by make_input.py and
pyarrow_bench.py). The Swift benchmarks implement the same definitions in
Benchmarks/Benchmarks/ParquetBenchmarks/TableDigest.swift; keep the two in step.

Decoded bytes (the numerator of every MB/s figure, MB = 10^6 bytes):
  sum over columns of
    rows x 8 for int64, timestamp and float64 columns,
    rows x 4 for float32 columns,
    rows x 1 for bool columns,
    (UTF-8 bytes of all values) + rows x 4 for string columns (Arrow's 32-bit offsets).
  Null slots count at their full width; validity bitmaps are not counted.

Column digest (checked after every read, never timed):
  int64 / timestamp: wrapping UInt64 sum of the two's-complement values of the non-null rows
  float64 / float32: wrapping UInt64 sum of the IEEE bit patterns (zero-extended for float32)
                     of the non-null rows (exact and independent of summation order)
  bool:              number of true values
  string:            total UTF-8 bytes of the non-null values, and the wrapping sum of those bytes
  every column:      the null count
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MASK64 = (1 << 64) - 1


def _fixed_width(dtype: pa.DataType) -> int | None:
    if pa.types.is_int64(dtype) or pa.types.is_timestamp(dtype) or pa.types.is_float64(dtype):
        return 8
    if pa.types.is_float32(dtype):
        return 4
    if pa.types.is_boolean(dtype):
        return 1
    return None


def decoded_bytes(table: pa.Table) -> int:
    """Decoded size of `table` by the definition in this module's docstring."""
    total = 0
    for field, column in zip(table.schema, table.columns):
        width = _fixed_width(field.type)
        if width is not None:
            total += width * table.num_rows
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            lengths = pc.sum(pc.binary_length(column)).as_py() or 0
            total += lengths + 4 * table.num_rows
        else:
            raise ValueError(f"column {field.name}: type {field.type} has no decoded-size rule")
    return total


def _u64_sum(values: np.ndarray) -> int:
    return int(np.sum(values.astype(np.uint64, copy=False), dtype=np.uint64)) & MASK64


def column_digest(column: pa.ChunkedArray) -> dict:
    """Digest of one column by the definition in this module's docstring."""
    dtype = column.type
    nulls = column.null_count
    present = pc.drop_null(column) if nulls else column
    if pa.types.is_int64(dtype) or pa.types.is_timestamp(dtype):
        values = present.cast(pa.int64()).to_numpy()
        return {"nulls": nulls, "sum": _u64_sum(values.view(np.uint64))}
    if pa.types.is_float64(dtype):
        values = present.to_numpy()
        return {"nulls": nulls, "sum": _u64_sum(values.view(np.uint64))}
    if pa.types.is_float32(dtype):
        values = present.to_numpy()
        return {"nulls": nulls, "sum": _u64_sum(values.view(np.uint32))}
    if pa.types.is_boolean(dtype):
        return {"nulls": nulls, "trues": int(pc.sum(present).as_py() or 0)}
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        total_bytes = 0
        byte_sum = 0
        for entry in pc.value_counts(present).to_pylist():
            raw = entry["values"].encode("utf-8")
            total_bytes += len(raw) * entry["counts"]
            byte_sum += sum(raw) * entry["counts"]
        return {"nulls": nulls, "bytes": total_bytes, "byteSum": byte_sum & MASK64}
    raise ValueError(f"type {dtype} has no digest rule")


def table_digest(table: pa.Table) -> dict:
    """Row count, decoded bytes and per-column digests of `table`."""
    return {
        "rows": table.num_rows,
        "decodedBytes": decoded_bytes(table),
        "columns": {name: column_digest(table.column(name)) for name in table.column_names},
    }
