"""A file load killed half-way (SIGKILL, no clean-up) and run again ends with exactly the rows of an
uninterrupted load: each source is loaded in one transaction and the file registry is written in it."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from ai_finops.load import REGISTRY, SOURCES, load

PROJECT = Path(__file__).resolve().parents[2]
# A subset of the demo landing folder, in load order: the kill lands while the gateway logs (many files) load.
FOLDERS = ("openai", "otel", "litellm")
KILL_AFTER = "raw.otel_genai_spans:"  # logged when that source has committed; the next one is litellm
INTERRUPTED = "litellm_spend_logs"


def _fingerprint(database: Path) -> dict:
    """Per raw table: row count and an order-independent hash of every row (load time excluded)."""
    with duckdb.connect(str(database), read_only=True) as con:
        present = {r[0] for r in con.execute("select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
        out = {
            s.table: con.execute(
                f"select count(*), sum(hash(r)::hugeint) from (select * exclude (_loaded_at) from raw.{s.table}) as r"
            ).fetchone()
            for s in SOURCES
            if s.table in present
        }
        out[REGISTRY] = sorted(
            con.execute(f"select table_name, source_file, file_sha256, row_count from raw.{REGISTRY}").fetchall(),
        )
    return out


def test_a_killed_file_load_then_a_rerun_equals_an_uninterrupted_load(demo_raw, tmp_path):
    raw = tmp_path / "raw"
    for folder in FOLDERS:
        shutil.copytree(demo_raw / folder, raw / folder)
    database = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ai_finops.cli", "load", "--raw", str(raw), "--database", str(database)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watchdog = threading.Timer(120, proc.kill)  # never let a hung child hang the suite
    watchdog.start()
    output = []
    try:
        for line in proc.stdout:
            output.append(line)
            if KILL_AFTER in line:
                time.sleep(1.0)  # the gateway's files (about 3 s of inserts) are now being loaded
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=30)
    finally:
        watchdog.cancel()
    assert proc.returncode == -signal.SIGKILL, "".join(output)

    killed = _fingerprint(database)
    # The sources before the kill committed; the one being loaded left nothing, not even registry rows.
    assert killed["otel_genai_spans"][0] > 0 and killed["openai_usage_completions"][0] > 0
    assert killed.get(INTERRUPTED, (0, None))[0] == 0
    assert not any(row[0] == INTERRUPTED for row in killed[REGISTRY])

    # The scheduler runs the same command again: committed files are skipped, the rest loads.
    summary = load(raw, database, log=lambda _: None)
    assert summary["otel_genai_spans"] == {"loaded": 0, "replaced": 0, "skipped": len(list((raw / "otel").rglob("*.json")))}
    assert summary[INTERRUPTED]["loaded"] == len(list((raw / "litellm").rglob("*.parquet")))

    uninterrupted = tmp_path / "once.duckdb"
    load(raw, uninterrupted, log=lambda _: None)
    once = _fingerprint(uninterrupted)
    assert _fingerprint(database) == once
    assert once[INTERRUPTED][0] > 0
