"""Landing extracted pages in the raw tables the file loader writes, and the incremental state.

Rows are shaped exactly as ``load.Loader`` lands the same page read from a file: one row per
result, bucket bounds as columns, ``load.flatten`` names, and the four metadata columns. dlt does
the landing (schema evolution, typed appends); ``_ai_finops_extract_state`` keeps, per endpoint,
the end of the last complete bucket, written only after the page that holds it is committed.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

# dlt phones home by default; an extractor holding admin keys should not. Set before dlt reads its config.
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

import dlt  # noqa: E402

from ai_finops.extract.providers import Endpoint  # noqa: E402
from ai_finops.load import BUCKET_REGISTER, create_bucket_register, flatten  # noqa: E402

STATE_TABLE = "_ai_finops_extract_state"


def page_rows(buckets: list[dict[str, Any]], start_key: str, end_key: str) -> list[dict[str, Any]]:
    """The same rows ``load._api_pages`` yields for this page."""
    return [{start_key: b[start_key], end_key: b[end_key], **flatten(r)} for b in buckets for r in b.get("results", [])]


def to_arrow(rows: list[dict[str, Any]], source: str, sha256: str, loaded_at: datetime) -> pa.Table:
    names: dict[str, None] = {}  # union of keys in first-seen order: later results may carry newer fields
    for row in rows:
        names.update(dict.fromkeys(row))
    columns: dict[str, pa.Array] = {}
    for name in names:
        values = [row.get(name) for row in rows]
        try:
            array = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            # Mixed types in one field (e.g. a number sent as a string on some rows): keep it as text.
            array = pa.array([None if v is None else str(v) for v in values], pa.string())
        # A field null on the whole page is still a column, typed as text like the loader does.
        columns[name] = array.cast(pa.string()) if pa.types.is_null(array.type) else array
    n = len(rows)
    columns["_file_row_number"] = pa.array(range(1, n + 1), pa.int64())
    columns["_loaded_from_file"] = pa.array([source] * n, pa.string())
    columns["_file_sha256"] = pa.array([sha256] * n, pa.string())
    columns["_loaded_at"] = pa.array([loaded_at] * n, pa.timestamp("us"))
    return pa.table(columns)


class Warehouse:
    def __init__(self, con: duckdb.DuckDBPyConnection, schema: str = "raw"):
        self.con = con
        self.schema = schema
        con.execute(f"create schema if not exists {schema}")
        con.execute(
            f"create table if not exists {schema}.{STATE_TABLE} (provider varchar, endpoint varchar, last_complete_bucket_end timestamp, updated_at timestamp)"
        )
        create_bucket_register(con, schema)
        # dlt's working files are scratch: what has landed and the state both live in the database,
        # so a fresh directory per run cannot replay a killed run's half-extracted package.
        self._workdir = tempfile.TemporaryDirectory(prefix="ai-finops-extract-")
        self.pipeline = dlt.pipeline(
            pipeline_name="ai_finops_extract",
            destination=dlt.destinations.duckdb(con),
            dataset_name=schema,
            pipelines_dir=self._workdir.name,
        )

    def close(self) -> None:
        self._workdir.cleanup()

    def state(self, provider: str, endpoint: Endpoint) -> datetime | None:
        row = self.con.execute(
            f"select max(last_complete_bucket_end) from {self.schema}.{STATE_TABLE} where provider = ? and endpoint = ?",
            [provider, endpoint.name],
        ).fetchone()
        return row[0] if row else None

    def land(self, endpoint: Endpoint, table: pa.Table) -> None:
        """Appends one page. One parquet file, one insert: the page lands whole or not at all."""
        existing = dict(
            self.con.execute(
                "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?",
                [self.schema, endpoint.table],
            ).fetchall()
        )
        for field in table.schema:
            if pa.types.is_string(field.type) and existing.get(field.name, "VARCHAR") != "VARCHAR":
                # As load.py does: text where numbers were seen ("abc" tokens) widens the column, so
                # staging quarantines the row with a reason instead of the load failing on a cast.
                self.con.execute(f'alter table {self.schema}.{endpoint.table} alter column "{field.name}" type varchar')
        self.pipeline.run(
            dlt.resource(
                table,
                name=endpoint.table,
                write_disposition="append",
                # the file loader's type: naive UTC timestamp (dlt would otherwise make it tz-aware)
                columns={"_loaded_at": {"data_type": "timestamp", "timezone": False}},
            ),
            loader_file_format="parquet",
        )

    def record_buckets(self, endpoint: Endpoint, bounds: list[tuple[datetime, datetime]], source: str, loaded_at: datetime) -> None:
        """Registers every bucket of a page, empty ones included; called after the page's rows landed,
        so a run killed in between leaves rows without register entries (harmless), never the reverse
        (a registered bucket whose rows are missing would supersede the older rows with nothing)."""
        rows = [(endpoint.table, begin, end, source, loaded_at) for begin, end in bounds]
        if rows:
            self.con.executemany(f"insert into {self.schema}.{BUCKET_REGISTER} values (?, ?, ?, ?, ?)", rows)

    def advance(self, provider: str, endpoint: Endpoint, bucket_end: datetime, now: datetime) -> None:
        """Moves the state forward only: a backfill of older buckets must not rewind it."""
        current = self.state(provider, endpoint)
        if current is not None and current >= bucket_end:
            return
        self.con.execute("begin transaction")
        try:
            self.con.execute(f"delete from {self.schema}.{STATE_TABLE} where provider = ? and endpoint = ?", [provider, endpoint.name])
            self.con.execute(f"insert into {self.schema}.{STATE_TABLE} values (?, ?, ?, ?)", [provider, endpoint.name, bucket_end, now])
            self.con.execute("commit")
        except Exception:
            self.con.execute("rollback")
            raise
