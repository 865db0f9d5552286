"""Load raw export files into the warehouse's raw schema, idempotently.

Conventions (the same as dlt's, so an API extractor built on dlt lands identical tables):
- nested objects are flattened with ``__`` (``amount.value`` -> ``amount__value``); lists and
  free-form maps stay JSON text;
- column names are snake_case (``startTime`` -> ``start_time``);
- every row carries ``_loaded_from_file``, ``_file_sha256``, ``_file_row_number`` and ``_loaded_at``.

A registry table (``_ai_finops_loaded_files``) makes loads idempotent: a file already loaded with
the same content is skipped; a file whose content changed replaces its earlier rows. Different
files that repeat the same records (re-deliveries) are all loaded; staging deduplicates them.

A bucket register (``_ai_finops_extracted_buckets``) lists every bucket of every usage/cost API
page loaded, empty buckets included: staging keeps a bucket's rows only from its newest
extraction, and a bucket restated down to zero rows has no row of its own to win with.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

REGISTRY = "_ai_finops_loaded_files"
BUCKET_REGISTER = "_ai_finops_extracted_buckets"
BUCKET_REGISTER_COLUMNS = (
    "table_name varchar, bucket_start_at timestamp, bucket_end_at timestamp, _loaded_from_file varchar, _loaded_at timestamp"
)


def create_bucket_register(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    con.execute(f"create table if not exists {schema}.{BUCKET_REGISTER} ({BUCKET_REGISTER_COLUMNS})")


def bucket_time(value) -> datetime:
    """A bucket bound as naive UTC: OpenAI sends Unix seconds, Anthropic RFC 3339 text."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def snake_case(name: str) -> str:
    """dlt-style: `startTime` -> `start_time`; the `__` nesting separator is kept."""
    if "__" in name:
        return "__".join(snake_case(part) for part in name.split("__"))
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


def flatten(record: dict, prefix: str = "") -> dict:
    out: dict = {}
    for key, value in record.items():
        name = f"{prefix}__{snake_case(key)}" if prefix else snake_case(key)
        if isinstance(value, dict) and value and not _is_free_map(prefix, key):
            out.update(flatten(value, name))
        elif isinstance(value, (dict, list)):
            out[name] = json.dumps(value, separators=(",", ":"))
        else:
            out[name] = value
    return out


# Maps whose keys are user data (tags, request metadata), kept whole as JSON text.
_FREE_MAPS = {"requestMetadata", "resource_tags"}


def _is_free_map(prefix: str, key: str) -> bool:
    return key in _FREE_MAPS


def _flatten_expressions(names, types, prefix_sql: str = "", prefix_name: str = "") -> list[str]:
    """SQL select list that flattens STRUCT columns like ``flatten`` does for Python dicts."""
    out = []
    for name, dtype in zip(names, types, strict=True):
        sql = f"{prefix_sql}.{_q(name)}" if prefix_sql else _q(name)
        col = f"{prefix_name}__{snake_case(name)}" if prefix_name else snake_case(name)
        if dtype.id == "struct" and name not in _FREE_MAPS:
            children = dtype.children
            out += _flatten_expressions([c[0] for c in children], [c[1] for c in children], sql, col)
        elif dtype.id in ("struct", "map", "list"):
            out.append(f"to_json({sql})::varchar as {_q(col)}")
        elif dtype.id == "null":  # a field that is null in the whole file: keep it, typed as text
            out.append(f"{sql}::varchar as {_q(col)}")
        else:
            out.append(f"{sql} as {_q(col)}")
    return out


# Prompt and completion content never reaches the warehouse: these fields (after flattening) are
# dropped on load. LiteLLM stores payloads when store_prompts_in_spend_logs is on; Bedrock
# invocation logs carry the bodies when text delivery is enabled; OTel may record messages.
CONTENT_COLUMNS = {
    "messages",
    "response",
    "proxy_server_request",
    "input__input_body_json",
    "output__output_body_json",
    "attributes__gen_ai_prompt",
    "attributes__gen_ai_completion",
    "attributes__gen_ai_input_messages",
    "attributes__gen_ai_output_messages",
    "attributes__gen_ai_system_instructions",
}


def _is_content(column: str) -> bool:
    """A content field, or a field nested inside one (bodies flatten into child columns)."""
    return any(column == name or column.startswith(name + "__") for name in CONTENT_COLUMNS)


def _read_text(path: Path) -> str:
    if path.suffix == ".gz":
        with gzip.open(path, "rt") as f:
            return f.read()
    return path.read_text()


def _alias_of(select_expression: str) -> str:
    """The output column name of one `... as "name"` expression built by _flatten_expressions."""
    return select_expression.rsplit(" as ", 1)[1].strip('"').replace('""', '"')


def _api_pages(start_key: str, end_key: str) -> Callable[[Path], Iterator[dict]]:
    """One row per result of a bucketed usage/cost API page, with the bucket bounds."""

    def read(path: Path) -> Iterator[dict]:
        page = json.loads(_read_text(path))
        for bucket in page["data"]:
            for result in bucket.get("results", []):
                yield {start_key: bucket[start_key], end_key: bucket[end_key], **flatten(result)}

    read.bucket_keys = (start_key, end_key)  # type: ignore[attr-defined]
    return read


def _page_buckets(path: Path, start_key: str, end_key: str) -> list[tuple[datetime, datetime]]:
    """Every bucket of a page, empty ones included (the bucket register's rows)."""
    page = json.loads(_read_text(path))
    return [(bucket_time(b[start_key]), bucket_time(b[end_key])) for b in page["data"]]


@dataclass(frozen=True)
class RawSource:
    table: str
    pattern: str
    reader: Callable[[Path], Iterator[dict]] | str  # a Python reader, or a native format name

    @property
    def bucket_keys(self) -> tuple[str, str] | None:
        """The bucket bound keys of a bucketed API page source; None for file exports."""
        return getattr(self.reader, "bucket_keys", None)


SOURCES = [
    RawSource("openai_usage_completions", "openai/usage_completions/*.json", _api_pages("start_time", "end_time")),
    RawSource("openai_usage_embeddings", "openai/usage_embeddings/*.json", _api_pages("start_time", "end_time")),
    RawSource("openai_usage_images", "openai/usage_images/*.json", _api_pages("start_time", "end_time")),
    RawSource("openai_usage_audio_speeches", "openai/usage_audio_speeches/*.json", _api_pages("start_time", "end_time")),
    RawSource("openai_usage_audio_transcriptions", "openai/usage_audio_transcriptions/*.json", _api_pages("start_time", "end_time")),
    RawSource("openai_usage_moderations", "openai/usage_moderations/*.json", _api_pages("start_time", "end_time")),
    RawSource("openai_usage_vector_stores", "openai/usage_vector_stores/*.json", _api_pages("start_time", "end_time")),
    RawSource(
        "openai_usage_code_interpreter_sessions", "openai/usage_code_interpreter_sessions/*.json", _api_pages("start_time", "end_time")
    ),
    RawSource("openai_usage_file_search_calls", "openai/usage_file_search_calls/*.json", _api_pages("start_time", "end_time")),
    RawSource("openai_usage_web_search_calls", "openai/usage_web_search_calls/*.json", _api_pages("start_time", "end_time")),
    RawSource("openai_costs", "openai/costs/*.json", _api_pages("start_time", "end_time")),
    RawSource("anthropic_usage_report_messages", "anthropic/usage_report_messages/*.json", _api_pages("starting_at", "ending_at")),
    RawSource("anthropic_cost_report", "anthropic/cost_report/*.json", _api_pages("starting_at", "ending_at")),
    RawSource("aws_bedrock_cur", "aws_bedrock/cur/**/*.csv", "csv"),
    RawSource("aws_bedrock_invocation_logs", "aws_bedrock/invocation_logs/**/*.json", "jsonl"),
    RawSource("azure_cost_details", "azure/cost_details/*.csv", "csv"),
    RawSource("gcp_billing_export", "gcp/billing_export/*.jsonl", "jsonl"),
    RawSource("gcp_gemini_usage_metadata", "gcp/gemini_usage_metadata/**/*.json", "jsonl"),
    RawSource("otel_genai_spans", "otel/genai_spans/**/*.json", "jsonl"),
    RawSource("litellm_spend_logs", "litellm/spend_logs/**/*.parquet", "parquet"),
    RawSource("outcomes_business_outcomes", "outcomes/business_outcomes/*.csv", "csv"),
]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Loader:
    def __init__(self, con: duckdb.DuckDBPyConnection, schema: str = "raw"):
        self.con = con
        self.schema = schema
        con.execute(f"create schema if not exists {schema}")
        con.execute(
            f"create table if not exists {schema}.{REGISTRY} (table_name varchar, source_file varchar, file_sha256 varchar, row_count bigint, loaded_at timestamp)"
        )
        create_bucket_register(con, schema)

    def _columns(self, table: str) -> dict[str, str]:
        rows = self.con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?", [self.schema, table]
        ).fetchall()
        return dict(rows)

    def _stage_file(self, source: RawSource, path: Path, relative: str, digest: str, loaded_at: datetime) -> str | None:
        """Exposes one file as a temp view with the load metadata columns; returns its name."""
        self.con.execute("drop view if exists _incoming")
        self.con.execute("drop table if exists _incoming_frame_table")
        if callable(source.reader):
            records = list(source.reader(path))
            if not records:
                # a page whose buckets are all empty (a quiet week): nothing to land, but still a load
                return None
            frame = pd.DataFrame.from_records(records)
            frame = frame.drop(columns=[c for c in frame.columns if _is_content(c)])
            self.con.register("_incoming_frame", frame)
            self.con.execute("create temp table _incoming_frame_table as select * from _incoming_frame")
            self.con.unregister("_incoming_frame")
            scan = "_incoming_frame_table"
        else:
            literal = "'" + str(path).replace("'", "''") + "'"
            scan = {
                "parquet": f"read_parquet({literal}, hive_partitioning = false)",
                "csv": f"read_csv({literal}, all_varchar = true, header = true, hive_partitioning = false)",
                "jsonl": f"read_json({literal}, format = 'newline_delimited', records = true, sample_size = -1, hive_partitioning = false)",
            }[source.reader]
        relation = self.con.sql(f"select * from {scan}")
        select = ", ".join(e for e in _flatten_expressions(relation.columns, relation.dtypes) if not _is_content(_alias_of(e)))
        self.con.execute(
            f"""create temp view _incoming as select {select},
                row_number() over () as _file_row_number,
                '{relative.replace("'", "''")}'::varchar as _loaded_from_file,
                '{digest}'::varchar as _file_sha256,
                '{loaded_at.isoformat()}'::timestamp as _loaded_at
            from {scan}"""
        )
        return "_incoming"

    def load_file(self, source: RawSource, path: Path, relative: str) -> str:
        digest = _sha256(path)
        target = f"{self.schema}.{source.table}"
        previous = self.con.execute(
            f"select file_sha256 from {self.schema}.{REGISTRY} where table_name = ? and source_file = ?", [source.table, relative]
        ).fetchall()
        if previous and previous[0][0] == digest:
            return "skipped"
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        incoming = self._stage_file(source, path, relative, digest, loaded_at)
        self._register_buckets(source, path, relative, loaded_at)
        if incoming is None:
            if previous:
                if self._columns(source.table):  # an earlier version of the file may have been empty too
                    self.con.execute(f"delete from {target} where _loaded_from_file = ?", [relative])
                self.con.execute(f"delete from {self.schema}.{REGISTRY} where table_name = ? and source_file = ?", [source.table, relative])
            self.con.execute(f"insert into {self.schema}.{REGISTRY} values (?, ?, ?, ?, ?)", [source.table, relative, digest, 0, loaded_at])
            return "replaced" if previous else "loaded"
        existing = self._columns(source.table)
        if not existing:
            self.con.execute(f"create table {target} as select * from {incoming} limit 0")
        else:
            for name, dtype in self._columns_of_temp(incoming).items():
                if name not in existing:
                    # Schema drift: new fields become new nullable columns; missing ones stay null.
                    self.con.execute(f"alter table {target} add column {_q(name)} {dtype}")
                elif dtype == "VARCHAR" and existing[name] != "VARCHAR":
                    # A text value where numbers were seen ("abc" tokens): keep the raw text so
                    # staging can quarantine the row with a reason instead of the load failing.
                    self.con.execute(f"alter table {target} alter column {_q(name)} type varchar")
        if previous:
            self.con.execute(f"delete from {target} where _loaded_from_file = ?", [relative])
            self.con.execute(f"delete from {self.schema}.{REGISTRY} where table_name = ? and source_file = ?", [source.table, relative])
        rows = self.con.execute(f"insert into {target} by name select * from {incoming}").fetchone()[0]
        self.con.execute(f"insert into {self.schema}.{REGISTRY} values (?, ?, ?, ?, ?)", [source.table, relative, digest, rows, loaded_at])
        return "replaced" if previous else "loaded"

    def _register_buckets(self, source: RawSource, path: Path, relative: str, loaded_at: datetime) -> None:
        """Replaces this file's rows in the bucket register (same transaction as its data rows)."""
        if source.bucket_keys is None:
            return
        register = f"{self.schema}.{BUCKET_REGISTER}"
        self.con.execute(f"delete from {register} where table_name = ? and _loaded_from_file = ?", [source.table, relative])
        rows = [(source.table, begin, end, relative, loaded_at) for begin, end in _page_buckets(path, *source.bucket_keys)]
        if rows:
            self.con.executemany(f"insert into {register} values (?, ?, ?, ?, ?)", rows)

    def _columns_of_temp(self, name: str) -> dict[str, str]:
        return {r[0]: r[1] for r in self.con.execute(f"describe {name}").fetchall()}

    def load_all(self, raw_dir: Path, log: Callable[[str], None] = print) -> dict[str, dict[str, int]]:
        summary: dict[str, dict[str, int]] = {}
        for i, source in enumerate(SOURCES, 1):
            # exports may arrive gzip-compressed: DuckDB and the page reader decompress by extension
            files = sorted({*raw_dir.glob(source.pattern), *raw_dir.glob(source.pattern + ".gz")})
            counts = {"loaded": 0, "replaced": 0, "skipped": 0}
            t = time.time()
            # One transaction per source: a bad file leaves that source as it was before the run.
            self.con.execute("begin transaction")
            try:
                for path in files:
                    counts[self.load_file(source, path, str(path.relative_to(raw_dir)))] += 1
                self.con.execute("commit")
            except Exception:
                self.con.execute("rollback")
                raise
            summary[source.table] = counts
            log(
                f"[{i}/{len(SOURCES)}] {self.schema}.{source.table}: {counts['loaded']} loaded, {counts['replaced']} replaced, {counts['skipped']} unchanged ({time.time() - t:.1f}s)"
            )
        return summary


def load(raw_dir: Path, database: Path, schema: str = "raw", log: Callable[[str], None] = print) -> dict:
    database.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database)) as con:
        con.execute("set enable_progress_bar = false")
        # the same cap as the dbt profile: a big load spills to disk instead of taking the machine's memory
        con.execute("set memory_limit = ?", [os.environ.get("AI_FINOPS_DUCKDB_MEMORY_LIMIT", "3GB")])
        return Loader(con, schema).load_all(raw_dir, log)
