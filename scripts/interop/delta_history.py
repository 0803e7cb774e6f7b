#!/usr/bin/env python3
"""Print a Delta Lake table's history as delta-rs sees it, as JSON.

    delta_history.py TABLE_DIR

Output (one JSON object; entries oldest first):

    {"table": "...", "latest_version": N, "commitInfoSource": "...",
     "entries": [
       {"version": 0,
        "timestamp": 1700000000000,          # commitInfo.timestamp, ms since the epoch, or null
        "operation": "WRITE",                # commitInfo.operation, or null
        "operationParameters": {"mode": "Append"},   # values as strings (non-strings as JSON)
        "other": {"engineInfo": "...", "userMetadata": "...", "operationMetrics": "{...}", ...},
                                             # every other commitInfo key, values as strings
        "fileCount": 1,                      # active data files at this version
        "rowCount": 8,                       # rows at this version, counted by a full scan
        "statsRowCount": 8,                  # sum of the files' stats numRecords, or null when
                                             # a file has no numRecords
        "protocol": {"minReaderVersion": 1, "minWriterVersion": 2,
                     "readerFeatures": [...], "writerFeatures": [...]},   # features if any
        "columns": [{"name": "id", "type": "long", "nullable": true}, ...]},
       ...]}

`DeltaTable.history()` gives the commitInfo of each commit; each version is then loaded with
`DeltaTable(path, version=v)` for its files, protocol and schema, and scanned with delta-rs
(`DeltaTable.scan()`) for its row count. The top-level "commitInfoSource" says where the
commitInfo came from: delta-rs's history(), or, when a commit has no commitInfo (which
history() skips, misnumbering older entries), the commit files themselves; such a version has
null timestamp and operation. Versions are those with a commit file in _delta_log/.

Exit status: 0 on success, 1 if delta-rs cannot read the table (its error on stderr),
2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import read_delta  # noqa: E402

# commitInfo keys that get their own field in an entry.
OWN_KEYS = ("version", "timestamp", "operation", "operationParameters")


def as_text(value) -> str:
    """Strings as they are; anything else as compact JSON with sorted keys."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def version_facts(path: str, version: int) -> dict:
    """Files, rows, stats rows, protocol and schema of one version."""
    import pyarrow as pa
    from deltalake import DeltaTable
    dt = DeltaTable(path, version=version)
    files = dt.file_uris()
    fields = dt.schema().fields
    if fields:
        scanned = pa.RecordBatchReader.from_stream(dt.scan(columns=[fields[0].name])).read_all()
        rows = scanned.num_rows
    else:
        rows = 0
    actions = pa.table(dt.get_add_actions())
    stats_rows = None
    if "num_records" in actions.column_names:
        records = actions.column("num_records").to_pylist()
        if all(r is not None for r in records):
            stats_rows = int(sum(records))
    elif actions.num_rows == 0:
        stats_rows = 0
    info = read_delta.table_info(dt)
    columns = [{"name": f.name, "type": read_delta.delta_type_name(f.type),
                "nullable": bool(f.nullable)} for f in fields]
    return {"fileCount": len(files), "rowCount": rows, "statsRowCount": stats_rows,
            "protocol": info["protocol"], "columns": columns}


def commit_versions(path: str) -> list[int]:
    """The versions that have a commit file `_delta_log/<20 digits>.json`, ascending."""
    log = os.path.join(path, "_delta_log")
    return sorted(int(name[:20]) for name in os.listdir(log)
                  if len(name) == 25 and name.endswith(".json") and name[:20].isdigit())


def commit_info_in_file(path: str, version: int) -> dict | None:
    """The commitInfo action of one commit file, or None when it has none."""
    name = os.path.join(path, "_delta_log", f"{version:020d}.json")
    with open(name, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                action = json.loads(line)
                if "commitInfo" in action:
                    return action["commitInfo"]
    return None


def commit_infos(path: str, dt) -> tuple[dict[int, dict | None], str]:
    """commitInfo per version, and where it came from. delta-rs's `history()` numbers its
    entries by counting down from the latest version, so when a commit has no commitInfo it
    skips it and misnumbers every older one; then the commit files are read instead."""
    versions = commit_versions(path)
    from_files = {v: commit_info_in_file(path, v) for v in versions}
    from_history = {}
    for commit in dt.history():
        info = dict(commit)
        from_history[int(info.pop("version"))] = info
    if from_history == {v: i for v, i in from_files.items() if i is not None} \
            and all(i is not None for i in from_files.values()):
        return from_history, "deltalake.DeltaTable.history()"
    return from_files, ("commit files (delta-rs history() disagrees with them: it skips "
                        "commits without commitInfo and misnumbers older ones)")


def history(path: str) -> dict:
    dt = read_delta.open_table(path, None)
    infos, source = commit_infos(path, dt)
    entries = []
    for version, commit in sorted(infos.items()):
        commit = commit or {}
        parameters = commit.get("operationParameters") or {}
        entry = {
            "version": version,
            "timestamp": commit.get("timestamp"),
            "operation": commit.get("operation"),
            "operationParameters": {str(k): as_text(v) for k, v in sorted(parameters.items())},
            "other": {str(k): as_text(v) for k, v in sorted(commit.items())
                      if k not in OWN_KEYS and v is not None},
        }
        entry.update(version_facts(path, version))
        entries.append(entry)
    return {"table": path, "latest_version": dt.version(), "commitInfoSource": source,
            "entries": entries}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", help="the table's directory (holding _delta_log/)")
    args = parser.parse_args(argv)
    try:
        result = history(args.table)
    except Exception as error:  # report any delta-rs failure as one line on stderr
        message = " ".join(str(error).split())
        print(f"delta_history.py: delta-rs could not read the history of {args.table}: "
              f"{type(error).__name__}: {message}", file=sys.stderr)
        return 1
    text = json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False)
    sys.stdout.buffer.write((text + "\n").encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
