#!/usr/bin/env python3
"""Checks that every task of larder_marketplace_dag.py is an idempotent job, without Airflow.

Imports the DAG module (Airflow is not needed: its tasks are the plain list LARDER_COMMANDS),
makes a landing area with two days of the tiny marketplace (`larder generate marketplace`, two
seeds), then runs the daily tasks for each day and the weekly maintenance tasks, in dependency
order, each one twice, with the real `larder` binary, as Airflow's BashOperator would
(`bash -c`, the DAG's settings and DS in the environment). After every second run the database
must be exactly as the first run left it: each table's version, rows and live files, the Parquet
files on disk, the catalog's version and each online store's published state. The first runs
must change what they are for (an ingest adds a version, a compaction rewrites files, a vacuum
deletes some), so the check cannot pass by doing nothing. It also checks that a day whose file
is missing fails and changes nothing.

    python3 examples/airflow/check_dag.py PATH/TO/larder

Prints one line per run and ends with "check_dag: ..."; exits 1 on the first problem.
Standard library only.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DAYS = [("2026-03-01", 42), ("2026-03-02", 7)]  # logical date, marketplace seed of its files


def load_dag_module():
    spec = importlib.util.spec_from_file_location("larder_marketplace_dag", HERE / "larder_marketplace_dag.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fail(message: str) -> None:
    print(f"check_dag: FAILED: {message}", flush=True)
    sys.exit(1)


def inspect(larder: str, table: Path) -> dict:
    out = subprocess.run([larder, "inspect", "--json", str(table)], capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"larder inspect {table} exited {out.returncode}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def snapshot(larder: str, db: Path) -> dict:
    """Everything a task could change, in comparable form."""
    state: dict = {}
    if not (db / "larder.json").exists():
        return state
    catalog = inspect(larder, db / "catalog")
    state["catalog version"] = catalog["version"]
    for table in sorted((db / "tables").iterdir()):
        info = inspect(larder, table)
        state[f"{table.name}: version"] = info["version"]
        state[f"{table.name}: rows"] = info["rows"]
        state[f"{table.name}: live files"] = sorted(f["path"] for f in info["files"])
        state[f"{table.name}: files on disk"] = sorted(p.name for p in table.glob("*.parquet"))
    online = db / "online"
    if online.is_dir():
        for view in sorted(online.iterdir()):
            current = view / "CURRENT"
            state[f"{view.name}: online CURRENT"] = current.read_text() if current.exists() else None
    return state


def differences(before: dict, after: dict) -> list[str]:
    keys = sorted(set(before) | set(after))
    return [f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in keys if before.get(k) != after.get(k)]


def run_task(command: str, env: dict, label: str) -> None:
    out = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"{label} exited {out.returncode}:\n{out.stdout}{out.stderr}")


def expect_change(task_id: str, changes: list[str], label: str, new_database: bool) -> None:
    """The first run of a task must do its job (so an idle command cannot pass the check).
    Every first run here has work to do, except apply on an existing database (the same file)."""
    wanted = {
        "ingest_": ": version",              # a new table version
        "materialize": ": online CURRENT",   # the day's commits published online
        "compact_": ": live files",          # two days' files rewritten into one
        "vacuum_": ": files on disk",        # replaced files deleted (retention 0s here)
    }
    if new_database:
        wanted["apply"] = "catalog version"  # the database created and the catalog recorded
    for prefix, marker in wanted.items():
        if task_id.startswith(prefix) and not any(marker in c for c in changes):
            fail(f"{label}: the first run changed no '{marker.strip(': ')}' ({changes or 'nothing changed'})")


def main() -> None:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        sys.exit(2)
    larder = str(Path(sys.argv[1]).resolve())
    module = load_dag_module()
    commands = module.LARDER_COMMANDS

    # The list is a valid pair of DAGs: known owners, unique ids, parents listed before children.
    seen: dict[str, set[str]] = {}
    for dag_id, task_id, _, upstream in commands:
        if dag_id not in module.SCHEDULES:
            fail(f"task {task_id} belongs to unknown DAG {dag_id}")
        ids = seen.setdefault(dag_id, set())
        if task_id in ids:
            fail(f"task id {task_id} repeats in {dag_id}")
        missing = [p for p in upstream if p not in ids]
        if missing:
            fail(f"{dag_id}.{task_id} depends on {missing}, not listed before it in the same DAG")
        ids.add(task_id)

    work = Path(tempfile.mkdtemp(prefix="larder-airflow-"))
    try:
        landing, db = work / "landing", work / "features.larder"
        for day, seed in DAYS:
            market = work / f"market-{seed}"
            subprocess.run([larder, "generate", "marketplace", "--out", str(market), "--scale", "tiny", "--seed", str(seed)],
                           check=True, capture_output=True)
            (landing / day).mkdir(parents=True)
            for view in module.VIEWS:
                shutil.copy(market / f"{view}.parquet", landing / day / f"{view}.parquet")
        settings = {
            "LARDER_DB": str(db),
            "LARDER_DEFINITIONS": str(work / f"market-{DAYS[0][1]}" / "definitions.yaml"),
            "LARDER_LANDING": str(landing),
            "LARDER_RETAIN": "0s",  # so the first vacuum really deletes the files compaction replaced
        }
        base = {**os.environ, **settings, "PATH": str(Path(larder).parent) + os.pathsep + os.environ.get("PATH", "")}

        runs = 0
        schedule = [(day, "larder_marketplace_daily") for day, _ in DAYS] + [(DAYS[-1][0], "larder_marketplace_maintenance")]
        for day, dag_id in schedule:
            env = {**base, "DS": day}
            for owner, task_id, command, _ in commands:
                if owner != dag_id:
                    continue
                label = f"{dag_id}.{task_id} ({day})"
                before = snapshot(larder, db)
                run_task(command, env, label + ", first run")
                first = snapshot(larder, db)
                changes = differences(before, first)
                expect_change(task_id, changes, label, new_database=not before)
                run_task(command, env, label + ", second run")
                second = snapshot(larder, db)
                again = differences(first, second)
                if again:
                    fail(f"{label}: the second run changed the database:\n  " + "\n  ".join(again))
                runs += 2
                print(f"{label}: first run {len(changes)} changes, second run none", flush=True)

        # A day whose file has not landed fails (Airflow retries it later) and changes nothing.
        before = snapshot(larder, db)
        ingest = next(c for _, t, c, _ in commands if t == f"ingest_{module.VIEWS[0]}")
        out = subprocess.run(["bash", "-c", ingest], env={**base, "DS": "2026-03-03"}, capture_output=True, text=True)
        if out.returncode == 0:
            fail("ingesting a day with no file succeeded")
        if differences(before, snapshot(larder, db)):
            fail("a failed ingest changed the database")
        print("a day with no file: the ingest fails and changes nothing", flush=True)
        print(f"check_dag: {runs} runs of {len(commands)} commands; every second run changed nothing")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
