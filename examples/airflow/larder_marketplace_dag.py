"""The marketplace feature pipeline as two Airflow DAGs, every task one `larder` command.

`larder_marketplace_daily` (@daily): apply the definitions, ingest the day's file of each feature
view, then sync the online store incrementally. `larder_marketplace_maintenance` (@weekly):
compact each view's table, then vacuum the files no version inside the retention window needs.

Each task is safe to retry and to re-run for the same logical date: run twice, it leaves the
database as one run did (same table versions, same rows, same online state). README.md beside
this file says why for each command; `check_dag.py` runs every command twice against a real
database and checks exactly that.

The tasks are plain shell, kept in `LARDER_COMMANDS` (importable without Airflow) and turned
into BashOperators below when Airflow is installed. They read their settings from the
environment, which the operators fill in:

    LARDER_DB            the database directory (default /data/features.larder)
    LARDER_DEFINITIONS   the definitions file (default /data/definitions.yaml)
    LARDER_LANDING       where day files land: $LARDER_LANDING/YYYY-MM-DD/<view>.parquet
    LARDER_RETAIN        vacuum retention window (default 7d)
    DS                   the run's logical date, YYYY-MM-DD (Airflow's {{ ds }})

`larder` must be on the workers' PATH.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

# The feature views the marketplace ingests every day (see `larder generate marketplace`).
VIEWS = ["user_stats", "item_stats", "user_item"]

# Settings passed to every task; override them in the workers' environment.
SETTINGS = {
    "LARDER_DB": os.environ.get("LARDER_DB", "/data/features.larder"),
    "LARDER_DEFINITIONS": os.environ.get("LARDER_DEFINITIONS", "/data/definitions.yaml"),
    "LARDER_LANDING": os.environ.get("LARDER_LANDING", "/data/landing"),
    "LARDER_RETAIN": os.environ.get("LARDER_RETAIN", "7d"),
}

# Create the database once, then apply the definitions: an unchanged file applies nothing.
APPLY = """\
set -eu
test -f "$LARDER_DB/larder.json" || larder init --db "$LARDER_DB"
larder apply --db "$LARDER_DB" "$LARDER_DEFINITIONS"
"""

# Ingest the day's file unless a commit of the view already records it as its source (every
# ingest commit records the file it read; `larder history` shows it as source=PATH).
INGEST = """\
set -eu
file="$LARDER_LANDING/$DS/{view}.parquet"
if larder history --db "$LARDER_DB" {view} | awk -v want="source=$file" '{{ for (i = 1; i <= NF; i++) if ($i == want) found = 1 }} END {{ exit !found }}'; then
  echo "{view}: $file is already ingested; nothing to do"
else
  larder ingest --db "$LARDER_DB" {view} "$file"
fi
"""

MATERIALIZE = """\
set -eu
larder materialize --db "$LARDER_DB" --incremental
"""

COMPACT = """\
set -eu
larder compact --db "$LARDER_DB" {view}
"""

VACUUM = """\
set -eu
larder vacuum --db "$LARDER_DB" {view} --retain "$LARDER_RETAIN"
"""

# (dag_id, task_id, bash command, upstream task_ids), in an order that respects dependencies.
LARDER_COMMANDS: list[tuple[str, str, str, list[str]]] = (
    [("larder_marketplace_daily", "apply", APPLY, [])]
    + [("larder_marketplace_daily", f"ingest_{v}", INGEST.format(view=v), ["apply"]) for v in VIEWS]
    + [("larder_marketplace_daily", "materialize", MATERIALIZE, [f"ingest_{v}" for v in VIEWS])]
    + [("larder_marketplace_maintenance", f"compact_{v}", COMPACT.format(view=v), []) for v in VIEWS]
    + [("larder_marketplace_maintenance", f"vacuum_{v}", VACUUM.format(view=v), [f"compact_{v}"]) for v in VIEWS]
)

SCHEDULES = {"larder_marketplace_daily": "@daily", "larder_marketplace_maintenance": "@weekly"}

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:
    try:  # Airflow 2
        from airflow import DAG
        from airflow.operators.bash import BashOperator
    except ImportError:  # no Airflow: LARDER_COMMANDS is still importable (check_dag.py uses it)
        DAG = None

if DAG is not None:
    for dag_id, schedule in SCHEDULES.items():
        with DAG(
            dag_id=dag_id,
            schedule=schedule,
            start_date=datetime(2026, 1, 1),
            catchup=False,
            max_active_runs=1,
            default_args={"retries": 3, "retry_delay": timedelta(minutes=5)},
            tags=["larder"],
        ) as dag:
            tasks = {}
            for owner, task_id, command, upstream in LARDER_COMMANDS:
                if owner != dag_id:
                    continue
                tasks[task_id] = BashOperator(
                    task_id=task_id,
                    bash_command=command,
                    env={**SETTINGS, "DS": "{{ ds }}"},
                    append_env=True,  # keep PATH (for `larder`) and the rest of the worker's env
                )
                for parent in upstream:
                    tasks[parent] >> tasks[task_id]
        globals()[dag_id] = dag
