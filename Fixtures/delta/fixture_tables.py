"""The Delta fixture tables: their fixed data and the builders that write them.

Each builder writes its folder with delta-rs (or by hand, for `deletion_vector_inline`) and
returns its description, with a "model" pyarrow table per version: what that version must
read as. make_fixtures.py runs them and checks the readers against the models.
"""

from __future__ import annotations

import json
import math
import os
import struct

import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake

T0 = 1_700_000_000_000_000          # 2023-11-14T22:13:20Z in microseconds
UTC_US = pa.timestamp("us", tz="UTC")


# ---------------------------------------------------------------------------------------------
# Data


def table_of(columns) -> pa.Table:
    """columns: (name, arrow type, values, nullable)."""
    fields = [pa.field(name, t, nullable=n) for name, t, _, n in columns]
    arrays = [pa.array(values, type=t) for _, t, values, _ in columns]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


PEOPLE_SCHEMA = [("id", pa.int64()), ("name", pa.string()), ("ts", UTC_US),
                 ("score", pa.float64()), ("flag", pa.bool_()), ("day", pa.date32())]

PEOPLE_V0 = [
    (1, "Ada", T0 + 123_456, 91.5, True, 19_675),
    (2, "Grace", T0 + 1_000_000, None, False, 19_676),
    (3, "Linus", None, 77.25, True, None),
    (4, "Zoë", T0 - 1, -0.0, None, 0),
    (5, "日本語", 0, 1e-300, False, -1),
    (6, None, T0 + 86_400_000_000, 0.1, True, 19_677),
    (7, "", -62_135_596_800_000_000, -12.5, False, -719_162),
    (8, "Edsger", 253_402_300_799_999_999, math.inf, True, 2_932_896),
]
PEOPLE_V1 = [
    (9, "Barbara", T0 + 5, 64.0, None, 19_680),
    (10, "Ken", T0 + 6, None, True, 19_681),
    (11, "Dennis", T0 + 7, math.nan, False, 19_682),
    (12, "Margaret", None, -math.inf, True, None),
    (13, "Ada", T0 + 123_456, 91.5, True, 19_675),   # the same values as id 1, another id
    (14, "🍞🧀", T0 + 999_999, 3.5, False, 19_683),
]
PEOPLE_DELETED = (2, 5, 11)
PEOPLE_V3 = [
    (100, "Frances", T0 + 10_000_000, 50.0, True, 19_700),
    (101, "John", T0 + 20_000_000, None, False, 19_701),
    (102, "Tony", None, 12.0, None, 19_702),
    (103, "Radia", T0 + 40_000_000, 88.125, True, None),
]
PEOPLE_V4 = [
    (104, "Leslie", T0 + 50_000_000, 70.5, False, 19_703),
    (105, "Niklaus", T0 + 60_000_000, -1.0, True, 19_704),
    (106, None, None, None, None, None),
]


def rows_table(schema, rows, not_null=("id",)) -> pa.Table:
    columns = []
    for i, (name, t) in enumerate(schema):
        columns.append((name, t, [r[i] for r in rows], name not in not_null))
    return table_of(columns)


def all_types_table() -> pa.Table:
    """Every Larder type; nulls in every nullable column; NaN, ±inf, -0.0, extremes."""
    long_text = "".join(chr(0x41 + (i * 7) % 26) for i in range(120))
    rows = [
        # id, i32, i64, f32, f64, flag, s, bin, ts, day, vec
        (0, 0, 0, 0.0, 0.0, True, "", b"", 0, 0, [0.0, -0.0, 1.0, -1.0]),
        (1, -1, -1, -0.0, -0.0, False, "a", b"\x00", -1, -1, [math.nan, math.inf, -math.inf, 0.5]),
        (2, 2**31 - 1, 2**63 - 1, math.nan, math.nan, None, "héllo wörld", b"\xff\x00\xfe",
         T0 + 123_456, 19_000, None),
        (3, -(2**31), -(2**63), math.inf, math.inf, True, "日本語のテキスト", bytes(range(16)),
         -62_135_596_800_000_000, -719_162, [1.5, 2.5, 3.5, 4.5]),
        (4, None, 2**53 + 1, -math.inf, -math.inf, False, "🍞🧀🍷", None,
         253_402_300_799_999_999, 2_932_896, [0.1, 0.2, 0.3, 0.4]),
        (5, 7, None, 1.401298464324817e-45, 5e-324, True, "e\u0301", b"larder", None, None,
         [3.4028234663852886e38, -3.4028234663852886e38, 1e-10, 0.0]),
        (6, 8, 9, None, None, None, None, b"\x01\x02", T0, 19_675, None),
        (7, -8, -9, 0.1, 0.1, True, long_text, b"", T0 + 1, 19_676, [-2.0, -4.0, -8.0, -16.0]),
        (8, 100, 10**12, 3.4028234663852886e38, 1.7976931348623157e308, False,
         "quote\"back\\slash\ttab\nnewline", b"\x00\x00", T0 + 999, 19_677, [1.0, 1.0, 1.0, 1.0]),
        (9, -100, -(10**12), 1.5, 2.2250738585072014e-308, None, long_text[::-1] + "∑", b"\x7f",
         T0 - 999, -365, None),
    ]
    types = [("id", pa.int64()), ("i32", pa.int32()), ("i64", pa.int64()), ("f32", pa.float32()),
             ("f64", pa.float64()), ("flag", pa.bool_()), ("s", pa.string()),
             ("bin", pa.binary()), ("ts", UTC_US), ("day", pa.date32()),
             ("vec", pa.list_(pa.float32()))]
    return rows_table(types, rows)


COMPACTED_SCHEMA = [("id", pa.int64()), ("value", pa.float64()), ("ts", UTC_US),
                    ("label", pa.string())]


def compacted_batch(k: int) -> list[tuple]:
    labels = ["alpha", "beta", None, "delta"]
    return [(k * 10 + j, None if (k + j) % 5 == 4 else k + j / 4, T0 + k * 1_000_000 + j,
             labels[(k + j) % 4]) for j in range(4)]


CHECKPOINT_SCHEMA = [("id", pa.int64()), ("name", pa.string()), ("ts", UTC_US)]


def checkpoint_batch(ids) -> list[tuple]:
    return [(i, f"name-{i}" if i % 4 else None, T0 + i * 1_000) for i in ids]


# ---------------------------------------------------------------------------------------------
# Tables: each builder writes its folder and returns its description, with a "model" table
# (what each version must read as) per version.


def build_people(path: str) -> dict:
    t0, t1 = rows_table(PEOPLE_SCHEMA, PEOPLE_V0), rows_table(PEOPLE_SCHEMA, PEOPLE_V1)
    write_deltalake(path, t0, mode="error", name="people",
                    description="Larder fixture: appends, a delete, an overwrite")
    write_deltalake(path, t1, mode="append")
    predicate = "id IN (" + ", ".join(str(i) for i in PEOPLE_DELETED) + ")"
    DeltaTable(path).delete(predicate)
    write_deltalake(path, rows_table(PEOPLE_SCHEMA, PEOPLE_V3), mode="overwrite")
    write_deltalake(path, rows_table(PEOPLE_SCHEMA, PEOPLE_V4), mode="append",
                    commit_properties=CommitProperties(
                        custom_metadata={"userMetadata": "append after overwrite",
                                         "larder.fixture": "people"},
                        app_transactions=[Transaction(app_id="larder-fixtures", version=4,
                                                      last_updated=1_700_000_000_000)]))
    kept = [r for r in PEOPLE_V0 + PEOPLE_V1 if r[0] not in PEOPLE_DELETED]
    return {
        "about": "int64 id (not null), string name, timestamp ts (UTC), float64 score, "
                 "bool flag, date day; nulls, NaN, ±inf, -0.0, year 1 and 9999 timestamps",
        "versions": [
            {"about": f"create: write_deltalake mode=error, {len(PEOPLE_V0)} rows",
             "model": rows_table(PEOPLE_SCHEMA, PEOPLE_V0)},
            {"about": f"append {len(PEOPLE_V1)} rows",
             "model": rows_table(PEOPLE_SCHEMA, PEOPLE_V0 + PEOPLE_V1)},
            {"about": f"DeltaTable.delete(\"{predicate}\"): both files rewritten without the rows",
             "model": rows_table(PEOPLE_SCHEMA, kept)},
            {"about": f"write_deltalake mode=overwrite with {len(PEOPLE_V3)} new rows",
             "model": rows_table(PEOPLE_SCHEMA, PEOPLE_V3)},
            {"about": f"append {len(PEOPLE_V4)} rows (one all-null but id) with custom commit "
                      "metadata (userMetadata, larder.fixture) and a txn action "
                      "(appId larder-fixtures, version 4)",
             "model": rows_table(PEOPLE_SCHEMA, PEOPLE_V3 + PEOPLE_V4)},
        ],
    }


def build_all_types(path: str) -> dict:
    table = all_types_table()
    write_deltalake(path, table, mode="error")
    return {
        "about": "one version with every Larder type: int32, int64, float32, float64 (NaN, "
                 "±inf, -0.0, subnormal, extremes), bool, string (unicode, empty, 120 "
                 "characters), binary, timestamp (UTC, years 1 and 9999), date, "
                 "list<float32> of 4 values with null rows",
        "versions": [{"about": f"create with {table.num_rows} rows", "model": table}],
    }


def build_compacted(path: str) -> dict:
    versions, rows = [], []
    for k in range(5):
        batch = compacted_batch(k)
        rows += batch
        write_deltalake(path, rows_table(COMPACTED_SCHEMA, batch), mode="append")
        versions.append({"about": f"append {len(batch)} rows (one file)",
                         "model": rows_table(COMPACTED_SCHEMA, rows)})
    DeltaTable(path).optimize.compact()
    versions.append({"about": "optimize.compact(): removes the 5 files and adds 1, all with "
                              "dataChange=false (operation OPTIMIZE)",
                     "model": rows_table(COMPACTED_SCHEMA, rows)})
    return {"about": "five small appends, then OPTIMIZE compaction", "versions": versions}


def build_with_checkpoint(path: str) -> dict:
    rows = checkpoint_batch(range(0, 6))
    write_deltalake(path, rows_table(CHECKPOINT_SCHEMA, rows), mode="error")
    versions = [{"about": "create with 6 rows", "model": rows_table(CHECKPOINT_SCHEMA, rows)}]
    more = checkpoint_batch(range(6, 10))
    rows = rows + more
    write_deltalake(path, rows_table(CHECKPOINT_SCHEMA, more), mode="append")
    versions.append({"about": "append 4 rows", "model": rows_table(CHECKPOINT_SCHEMA, rows)})
    DeltaTable(path).delete("id = 3 OR id = 7")
    rows = [r for r in rows if r[0] not in (3, 7)]
    versions.append({"about": "delete \"id = 3 OR id = 7\" (two files rewritten into one)",
                     "model": rows_table(CHECKPOINT_SCHEMA, rows)})
    more = checkpoint_batch(range(10, 13))
    rows = rows + more
    write_deltalake(path, rows_table(CHECKPOINT_SCHEMA, more), mode="append")
    DeltaTable(path).create_checkpoint()
    versions.append({"about": "append 3 rows; then DeltaTable.create_checkpoint() writes "
                              "00000000000000000003.checkpoint.parquet and _last_checkpoint",
                     "model": rows_table(CHECKPOINT_SCHEMA, rows)})
    more = checkpoint_batch(range(13, 15))
    rows = rows + more
    write_deltalake(path, rows_table(CHECKPOINT_SCHEMA, more), mode="append")
    versions.append({"about": "append 2 rows after the checkpoint (a reader of the latest "
                              "version starts from the checkpoint and replays 4.json)",
                     "model": rows_table(CHECKPOINT_SCHEMA, rows)})
    return {"about": "a Parquet checkpoint at version 3, then one more commit",
            "versions": versions}


def build_deletion_vectors_enabled(path: str) -> dict:
    schema = [("id", pa.int64()), ("x", pa.string())]
    rows = [(i, f"x{i}") for i in range(10)]
    write_deltalake(path, rows_table(schema, rows), mode="error",
                    configuration={"delta.enableDeletionVectors": "true"})
    DeltaTable(path).delete("id = 3")
    kept = [r for r in rows if r[0] != 3]
    return {
        "about": "created with delta.enableDeletionVectors=true: protocol reader 3 / writer 7 "
                 "with the deletionVectors reader feature (delta-rs's DELETE still rewrites "
                 "the file, so no vector is written)",
        "larder_must_refuse": "minReaderVersion 3 with readerFeatures deletionVectors",
        "versions": [
            {"about": "create with 10 rows, deletion vectors enabled",
             "model": rows_table(schema, rows)},
            {"about": "delete \"id = 3\" (copy-on-write: remove + add, no deletionVector)",
             "model": rows_table(schema, kept)},
        ],
    }


DV_ROWS = (3, 4, 7, 11, 18, 29)
Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"


def z85_encode(data: bytes) -> str:
    if len(data) % 4:
        raise ValueError("Z85 encodes whole 4-byte groups")
    out = []
    for i in range(0, len(data), 4):
        value, chunk = int.from_bytes(data[i:i + 4], "big"), []
        for _ in range(5):
            value, digit = divmod(value, 85)
            chunk.append(Z85[digit])
        out.append("".join(reversed(chunk)))
    return "".join(out)


def deletion_vector_bytes(rows) -> bytes:
    """A Delta deletion vector (PROTOCOL.md, "Deletion Vector Format"): the magic number
    1681511377, then a 64-bit portable Roaring bitmap with one bucket (key 0) holding a 32-bit
    Roaring bitmap (cookie 12346, no run containers) with one array container. Little endian."""
    rows = sorted(rows)
    bitmap32 = (struct.pack("<II", 12346, 1) + struct.pack("<HH", 0, len(rows) - 1)
                + struct.pack("<I", 16) + struct.pack(f"<{len(rows)}H", *rows))
    return struct.pack("<I", 1681511377) + struct.pack("<Q", 1) + struct.pack("<I", 0) + bitmap32


def build_deletion_vector_inline(path: str) -> dict:
    """Hand-written log, data file written by pyarrow: the table is fully deterministic."""
    schema = [("id", pa.int64()), ("name", pa.string())]
    rows = [(i, f"row-{i:02d}") for i in range(30)]
    table = rows_table(schema, rows)
    data_name = "part-00000-deletion-vector-fixture.snappy.parquet"
    os.makedirs(os.path.join(path, "_delta_log"))
    pq.write_table(table, os.path.join(path, data_name), compression="snappy")
    size = os.path.getsize(os.path.join(path, data_name))
    schema_string = json.dumps({"type": "struct", "fields": [
        {"name": "id", "type": "long", "nullable": False, "metadata": {}},
        {"name": "name", "type": "string", "nullable": True, "metadata": {}}]},
        separators=(",", ":"))
    stats = json.dumps({"numRecords": 30, "minValues": {"id": 0, "name": "row-00"},
                        "maxValues": {"id": 29, "name": "row-29"},
                        "nullCount": {"id": 0, "name": 0}}, separators=(",", ":"))
    add = {"path": data_name, "partitionValues": {}, "size": size,
           "modificationTime": 1_700_000_000_000, "dataChange": True, "stats": stats}
    vector = deletion_vector_bytes(DV_ROWS)
    descriptor = {"storageType": "i", "pathOrInlineDv": z85_encode(vector),
                  "sizeInBytes": len(vector), "cardinality": len(DV_ROWS)}
    predicate = "id IN (" + ", ".join(str(i) for i in DV_ROWS) + ")"
    commits = [
        [{"commitInfo": {"timestamp": 1_700_000_000_000, "operation": "WRITE",
                         "operationParameters": {"mode": "ErrorIfExists"},
                         "engineInfo": "Fixtures/delta/make_fixtures.py"}},
         {"protocol": {"minReaderVersion": 3, "minWriterVersion": 7,
                       "readerFeatures": ["deletionVectors"],
                       "writerFeatures": ["deletionVectors"]}},
         {"metaData": {"id": "6c61726465722d66-6978-4000-8000-000000000001",
                       "format": {"provider": "parquet", "options": {}},
                       "schemaString": schema_string, "partitionColumns": [],
                       "createdTime": 1_700_000_000_000,
                       "configuration": {"delta.enableDeletionVectors": "true"}}},
         {"add": add}],
        [{"commitInfo": {"timestamp": 1_700_000_060_000, "operation": "DELETE",
                         "operationParameters": {"predicate": predicate},
                         "engineInfo": "Fixtures/delta/make_fixtures.py"}},
         {"remove": {"path": data_name, "deletionTimestamp": 1_700_000_060_000,
                     "dataChange": True, "extendedFileMetadata": True, "partitionValues": {},
                     "size": size, "stats": stats}},
         {"add": dict(add, modificationTime=1_700_000_060_000, deletionVector=descriptor)}],
    ]
    for version, actions in enumerate(commits):
        with open(os.path.join(path, "_delta_log", f"{version:020d}.json"), "w",
                  encoding="utf-8") as f:
            for action in actions:
                f.write(json.dumps(action, separators=(",", ":")) + "\n")
    kept = [r for r in rows if r[0] not in DV_ROWS]
    return {
        "about": "hand-written log (delta-rs writes no deletion vectors): protocol 3/7 with "
                 "deletionVectors; version 1 re-adds the one data file with an inline "
                 f"(storageType \"i\") vector deleting rows {', '.join(map(str, DV_ROWS))}",
        "larder_must_refuse": "minReaderVersion 3 with readerFeatures deletionVectors; an add "
                              "with a deletionVector",
        "hand_written": True,
        "versions": [
            {"about": "create: one pyarrow-written file of 30 rows",
             "model": table_of([("id", pa.int64(), [r[0] for r in rows], False),
                                ("name", pa.string(), [r[1] for r in rows], True)])},
            {"about": f"remove the file and add it again with a deletion vector of "
                      f"{len(DV_ROWS)} rows (cardinality {len(DV_ROWS)}, sizeInBytes "
                      f"{len(vector)})",
             "model": table_of([("id", pa.int64(), [r[0] for r in kept], False),
                                ("name", pa.string(), [r[1] for r in kept], True)])},
        ],
    }


def build_column_mapping(path: str) -> dict:
    schema = [("id", pa.int64()), ("name", pa.string())]
    rows = [(i, f"n{i}") for i in range(5)]
    write_deltalake(path, rows_table(schema, rows), mode="error",
                    configuration={"delta.columnMapping.mode": "name"})
    return {
        "about": "created with delta.columnMapping.mode=name: protocol reader 2 / writer 5, "
                 "Parquet columns named by physical names (col-<uuid>), data files under a "
                 "random two-character folder",
        "larder_must_refuse": "minReaderVersion 2 (column mapping)",
        "engines": ["deltalake"],
        "engines_note": "Polars 1.44 ignores column mapping: read_delta returns every value "
                        "null (it looks the display names up in the files); only delta-rs "
                        "reads it",
        "versions": [{"about": "create with 5 rows", "model": rows_table(schema, rows)}],
    }


TABLES = [
    ("people", build_people),
    ("all_types", build_all_types),
    ("compacted", build_compacted),
    ("with_checkpoint", build_with_checkpoint),
    ("deletion_vectors_enabled", build_deletion_vectors_enabled),
    ("deletion_vector_inline", build_deletion_vector_inline),
    ("column_mapping", build_column_mapping),
]
