#!/usr/bin/env python3
"""Print the physical layout of a Parquet file as JSON, read from its bytes alone.

    parquet_layout.py FILE

An independent look at what a writer produced, needing no Parquet library: the footer and
every page header are decoded here with a small Thrift compact-protocol reader (written from
apache/parquet-format's parquet.thrift). Output:

    {"created_by": ..., "num_rows": N, "row_groups": [
      {"num_rows": N, "columns": [
        {"path": "a.list.element", "physical_type": "INT32", "codec": "ZSTD",
         "num_values": N, "pages": [{"type": "DICTIONARY_PAGE"|"DATA_PAGE"|"DATA_PAGE_V2",
                                      "encoding": "PLAIN"|"RLE_DICTIONARY"|...,
                                      "num_values": N, "compressed_size": B}, ...]}]}]}

Codec names are the Thrift enum's: UNCOMPRESSED, SNAPPY, GZIP, LZO, BROTLI, LZ4 (the
deprecated Hadoop framing, 5), ZSTD, LZ4_RAW (7).
"""

from __future__ import annotations

import json
import struct
import sys

CODECS = ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"]
PHYSICAL = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY",
            "FIXED_LEN_BYTE_ARRAY"]
PAGE_TYPES = ["DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE", "DATA_PAGE_V2"]
ENCODINGS = {0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED",
             5: "DELTA_BINARY_PACKED", 6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY",
             8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"}


class ThriftCompactReader:
    """Decodes Thrift compact structs into {field_id: value} dicts (lists stay lists)."""

    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise ValueError("truncated Thrift data")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        result, shift = 0, 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 70:
                raise ValueError("varint too long")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, ctype: int):
        if ctype in (1, 2):                     # booleans inside containers: one byte
            return self.byte() == 1
        if ctype == 3:
            return struct.unpack("b", bytes([self.byte()]))[0]
        if ctype in (4, 5, 6):
            return self.zigzag()
        if ctype == 7:
            raw = self.data[self.pos:self.pos + 8]
            self.pos += 8
            return struct.unpack("<d", raw)[0]
        if ctype == 8:
            n = self.varint()
            raw = self.data[self.pos:self.pos + n]
            if len(raw) != n:
                raise ValueError("truncated binary")
            self.pos += n
            return raw
        if ctype in (9, 10):
            header = self.byte()
            size = header >> 4
            if size == 15:
                size = self.varint()
            return [self.value(header & 0x0F) for _ in range(size)]
        if ctype == 11:
            size = self.varint()
            if size == 0:
                return {}
            kinds = self.byte()
            return {self.value(kinds >> 4): self.value(kinds & 0x0F) for _ in range(size)}
        if ctype == 12:
            return self.struct()
        raise ValueError(f"unknown Thrift compact type {ctype}")

    def struct(self) -> dict:
        fields, last = {}, 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            ctype, delta = header & 0x0F, header >> 4
            field_id = last + delta if delta else self.zigzag()
            last = field_id
            if ctype in (1, 2):                 # booleans in a struct live in the type nibble
                fields[field_id] = ctype == 1
            else:
                fields[field_id] = self.value(ctype)


def layout(path: str) -> dict:
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 12 or data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise ValueError(f"{path}: not a Parquet file (magic bytes missing)")
    footer_len = struct.unpack("<I", data[-8:-4])[0]
    meta = ThriftCompactReader(data, len(data) - 8 - footer_len).struct()
    row_groups = []
    for rg in meta.get(4, []):
        columns = []
        for chunk in rg.get(1, []):
            cmd = chunk.get(3, {})
            start = cmd.get(11) or cmd[9]          # dictionary_page_offset, else data_page_offset
            end = start + cmd[7]                   # total_compressed_size
            columns.append({
                "path": ".".join(p.decode() for p in cmd[3]),
                "physical_type": PHYSICAL[cmd[1]],
                "codec": CODECS[cmd[4]] if cmd[4] < len(CODECS) else f"codec {cmd[4]}",
                "num_values": cmd[5],
                "pages": pages(data, start, end),
            })
        row_groups.append({"num_rows": rg.get(3), "columns": columns})
    return {"created_by": meta.get(6, b"").decode(), "num_rows": meta.get(3),
            "row_groups": row_groups}


def pages(data: bytes, start: int, end: int) -> list:
    out, pos = [], start
    while pos < end:
        reader = ThriftCompactReader(data, pos)
        header = reader.struct()
        page_type = PAGE_TYPES[header[1]]
        detail = header.get({0: 5, 2: 7, 3: 8}.get(header[1], -1), {})
        out.append({
            "type": page_type,
            "encoding": ENCODINGS.get(detail.get(2 if header[1] != 3 else 4), "?"),
            "num_values": detail.get(1),
            "compressed_size": header[3],
        })
        pos = reader.pos + header[3]
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    json.dump(layout(sys.argv[1]), sys.stdout, indent=1)
    sys.stdout.write("\n")
