"""The admin-API extractors, against a real local HTTP server that pages like the providers do."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from werkzeug import Request, Response

from ai_finops.cli import main
from ai_finops.extract import ExtractError, extract
from ai_finops.extract.api import make_client
from ai_finops.load import load

PROJECT = Path(__file__).resolve().parents[2]
DAY = timedelta(days=1)
# Relative to today so every bucket is in the past (complete) whatever the clock says.
BASE = datetime.now(UTC).replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0) - 40 * DAY
KEYS = {"openai": "sk-admin-TESTKEY-openai-5f1c9e2b7a", "anthropic": "sk-ant-admin01-TESTKEY-anthropic-8d3e6f0a4c"}
# OpenAI's non-token usage endpoints (provider-formats.md 1.3): name -> (unit field, group_by, one documented result).
OTHER_USAGE = {
    "images": (
        "images",
        ("project_id", "api_key_id", "model", "size", "source"),
        {"images": 12, "num_model_requests": 12, "source": "image.generation", "size": "1024x1024", "model": "dall-e-3"},
    ),
    "audio_speeches": (
        "characters",
        ("project_id", "api_key_id", "model"),
        {"characters": 18450, "num_model_requests": 31, "model": "tts-1"},
    ),
    "audio_transcriptions": (
        "seconds",
        ("project_id", "api_key_id", "model"),
        {"seconds": 3720, "num_model_requests": 14, "model": "whisper-1"},
    ),
    "moderations": (
        "input_tokens",
        ("project_id", "api_key_id", "model"),
        {"input_tokens": 2500, "num_model_requests": 12, "model": "omni-moderation-latest"},
    ),
    "vector_stores": ("usage_bytes", ("project_id",), {"usage_bytes": 734003200}),
    "code_interpreter_sessions": ("num_sessions", ("project_id",), {"num_sessions": 9}),
    "file_search_calls": (
        "num_requests",
        ("project_id", "api_key_id", "vector_store_id"),
        {"num_requests": 40, "vector_store_id": "vs_Kb01"},
    ),
    "web_search_calls": (
        "num_requests",
        ("project_id", "api_key_id", "model", "context_level"),
        {"num_requests": 7, "num_model_requests": 5, "context_level": "low", "model": "gpt-4o-2024-08-06"},
    ),
}
OBJECT = {"file_search_calls": "file_searches", "web_search_calls": "web_searches"}
PATHS = {
    "openai": {
        "usage_completions": "/v1/organization/usage/completions",
        "usage_embeddings": "/v1/organization/usage/embeddings",
        **{f"usage_{name}": f"/v1/organization/usage/{name}" for name in OTHER_USAGE},
        "costs": "/v1/organization/costs",
    },
    "anthropic": {"usage_report_messages": "/v1/organizations/usage_report/messages", "cost_report": "/v1/organizations/cost_report"},
}
TABLES = {
    "usage_completions": "openai_usage_completions",
    "usage_embeddings": "openai_usage_embeddings",
    **{f"usage_{name}": f"openai_usage_{name}" for name in OTHER_USAGE},
    "costs": "openai_costs",
    "usage_report_messages": "anthropic_usage_report_messages",
    "cost_report": "anthropic_cost_report",
}
GROUP_BY = {
    "usage_completions": ["project_id", "api_key_id", "model", "batch", "service_tier"],
    "usage_embeddings": ["project_id", "api_key_id", "model"],
    **{f"usage_{name}": list(spec[1]) for name, spec in OTHER_USAGE.items()},
    "costs": ["project_id", "line_item"],
    "usage_report_messages": ["api_key_id", "workspace_id", "model", "service_tier", "context_window"],
    "cost_report": ["workspace_id", "description"],
}
# Per-bucket measures compared between runs; every one of them changes when a bucket is restated.
MEASURES = {
    "openai_usage_completions": ("start_time", "sum(input_tokens), sum(output_tokens), sum(num_model_requests), count(*)"),
    "openai_usage_embeddings": ("start_time", "sum(input_tokens), sum(num_model_requests), count(*)"),
    **{f"openai_usage_{name}": ("start_time", f"sum({spec[0]}), count(*)") for name, spec in OTHER_USAGE.items()},
    "openai_costs": ("start_time", "round(sum(amount__value), 6), count(*)"),
    "anthropic_usage_report_messages": (
        "starting_at",
        "sum(uncached_input_tokens), sum(cache_read_input_tokens), sum(output_tokens), count(*)",
    ),
    "anthropic_cost_report": ("starting_at", "round(sum(cast(amount as double)), 6), count(*)"),
}


def _unix(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp())


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _results(endpoint: str, day: int, version: int) -> list[dict]:
    """Documented result shapes (provider-formats.md 1.2, 1.4, 2.1, 2.2); every 5th day is an empty bucket."""
    if day % 5 == 3:
        return []
    n = (day + 1) * 100 + version * 7  # a restatement (version + 1) changes every measure
    if endpoint == "usage_completions":
        out = []
        for j, (project, model) in enumerate([("proj_a", "gpt-4o-2024-08-06"), ("proj_b", "gpt-4o-mini-2024-07-18")]):
            row = {
                "object": "organization.usage.completions.result",
                "input_tokens": 10 * n + j,
                "input_cached_tokens": 2 * n,
                "output_tokens": n + j,
                "input_audio_tokens": 0,
                "output_audio_tokens": 0,
                "num_model_requests": 3 + j + version,
                "project_id": project,
                "user_id": None,
                "api_key_id": "key_Ab12example",
                "model": model,
                "batch": j == 1,
                "service_tier": "default",
            }
            if day >= 6:  # a field that appears mid-window (schema drift)
                row["input_cache_write_tokens"] = j * 5
            out.append(row)
        return out
    if endpoint == "usage_embeddings":
        return [
            {
                "object": "organization.usage.embeddings.result",
                "input_tokens": 40 * n,
                "num_model_requests": 5 + version,
                "project_id": "proj_a",
                "user_id": None,
                "api_key_id": "key_Ab12example",
                "model": "text-embedding-3-small",
            }
        ]
    if endpoint.removeprefix("usage_") in OTHER_USAGE:
        name = endpoint.removeprefix("usage_")
        unit, group_by, example = OTHER_USAGE[name]
        row = {"object": f"organization.usage.{OBJECT.get(name, name)}.result", **example, unit: example[unit] + n}
        if "api_key_id" in group_by:
            row.update(user_id=None, api_key_id="key_Ab12example")
        return [{**row, "project_id": "proj_a"}]
    if endpoint == "costs":
        return [
            {
                "object": "organization.costs.result",
                "amount": {"value": round(n * 0.0025, 6), "currency": "usd"},
                "line_item": f"gpt-4o-2024-08-06, {kind}",
                "project_id": "proj_a",
                "api_key_id": None,
                "quantity": n * 10,
                "quantity_unit": "tokens",
            }
            for kind in ("input", "output")
        ]
    if endpoint == "usage_report_messages":
        return [
            {
                "uncached_input_tokens": 5 * n + j,
                "cache_creation": {"ephemeral_5m_input_tokens": n, "ephemeral_1h_input_tokens": 0},
                "cache_read_input_tokens": 30 * n,
                "output_tokens": n + 3 * j,
                "server_tool_use": {"web_search_requests": j},
                "api_key_id": "apikey_01Example0000000000000",
                "workspace_id": workspace,
                "model": "claude-sonnet-4-5-20250929",
                "service_tier": "standard",
                "context_window": "0-200k",
            }
            for j, workspace in enumerate(["wrkspc_01Example000000000000", None])
        ]
    return [
        {
            "amount": f"{n * 0.3:.3f}",
            "currency": "USD",
            "cost_type": "tokens",
            "description": f"Claude Sonnet 4.5 Usage - {kind}",
            "model": "claude-sonnet-4-5-20250929",
            "token_type": token_type,
            "service_tier": "standard",
            "context_window": "0-200k",
            "workspace_id": "wrkspc_01Example000000000000",
        }
        for kind, token_type in (("Input Tokens", "uncached_input_tokens"), ("Output Tokens", "output_tokens"))
    ]


class FakeAdminApi:
    """One provider's two admin endpoints over a per-day truth that tests can restate.

    Pages hold `page_size` whole buckets (fewer than the requested limit, as a server may return),
    with opaque cursors; requests without the right auth headers get 401.
    """

    def __init__(self, httpserver, provider: str, page_size: int = 3, delay: float = 0.0):
        self.provider = provider
        self.page_size = page_size
        self.delay = delay
        self.versions: dict[int, int] = {}
        self.emptied: set[int] = set()  # days restated down to zero rows
        self.requests: list[tuple[str, dict]] = []
        self.times: list[tuple[str, float]] = []
        self.bodies: list[tuple[str, int, bytes]] = []  # (endpoint, page number, body) of every page served whole
        self.failures: list[tuple[str, int, Response]] = []  # (endpoint, page number, response) served once instead
        self.url = httpserver.url_for("").rstrip("/")
        for endpoint, path in PATHS[provider].items():
            httpserver.expect_request(path, method="GET").respond_with_handler(self._handler(endpoint))

    def restate(self, day: int) -> None:
        self.versions[day] = self.versions.get(day, 0) + 1

    def restate_to_zero_rows(self, day: int) -> None:
        self.emptied.add(day)

    def fail_once(self, endpoint: str, page: int, response: Response) -> None:
        self.failures.append((endpoint, page, response))

    def requests_for(self, endpoint: str) -> list[dict]:
        return [q for e, q in self.requests if e == endpoint]

    def _authorised(self, request: Request) -> bool:
        if self.provider == "openai":
            return request.headers.get("Authorization") == f"Bearer {KEYS['openai']}"
        return request.headers.get("x-api-key") == KEYS["anthropic"] and request.headers.get("anthropic-version") == "2023-06-01"

    def _handler(self, endpoint: str):
        def handle(request: Request) -> Response:
            query = {k: request.args.getlist(k) if k == "group_by[]" else request.args[k] for k in request.args}
            self.requests.append((endpoint, query))
            self.times.append((endpoint, time.monotonic()))
            if not self._authorised(request):
                return Response(json.dumps({"error": {"message": "invalid admin key"}}), status=401, content_type="application/json")
            offset = int(base64.b64decode(query["page"]).decode().split(":")[1]) if "page" in query else 0
            number = offset // self.page_size + 1
            for failure in self.failures:
                if failure[:2] == (endpoint, number):
                    self.failures.remove(failure)
                    return failure[2]
            time.sleep(self.delay)
            if self.provider == "openai":
                start, end = datetime.fromtimestamp(int(query["start_time"]), UTC), datetime.fromtimestamp(int(query["end_time"]), UTC)
            else:
                start, end = (datetime.fromisoformat(query[k].replace("Z", "+00:00")) for k in ("starting_at", "ending_at"))
            start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
            days = [(d - BASE).days for d in _days(start, end)]
            chunk = days[offset : offset + min(self.page_size, int(query["limit"]))]
            has_more = offset + len(chunk) < len(days)
            page = {
                "data": [self._bucket(endpoint, day) for day in chunk],
                "has_more": has_more,
                "next_page": base64.b64encode(f"offset:{offset + len(chunk)}".encode()).decode() if has_more else None,
            }
            if self.provider == "openai":
                page = {"object": "page", **page}
            body = json.dumps(page).encode()
            self.bodies.append((endpoint, number, body))
            return Response(body, content_type="application/json")

        return handle

    def _bucket(self, endpoint: str, day: int) -> dict:
        begin, end = BASE + day * DAY, BASE + (day + 1) * DAY
        results = [] if day in self.emptied else _results(endpoint, day, self.versions.get(day, 0))
        if self.provider == "openai":
            return {"object": "bucket", "start_time": _unix(begin), "end_time": _unix(end), "results": results}
        return {"starting_at": _rfc3339(begin), "ending_at": _rfc3339(end), "results": results}


def _days(start: datetime, end: datetime) -> list[datetime]:
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    out = []
    while day < end:
        out.append(day)
        day += DAY
    return out


@pytest.fixture(params=["openai", "anthropic"])
def api(request, httpserver, monkeypatch) -> FakeAdminApi:
    for provider, key in KEYS.items():
        monkeypatch.setenv(f"{provider.upper()}_ADMIN_KEY", key)
    return FakeAdminApi(httpserver, request.param)


def _extract(api: FakeAdminApi, database: Path, since: int | None, until: int | None, **kw) -> list[str]:
    lines: list[str] = []
    kw.setdefault("client", make_client(max_attempts=3, backoff_factor=0.01))
    extract(
        api.provider,
        database,
        since=None if since is None else BASE + since * DAY,
        until=None if until is None else BASE + until * DAY,
        base_url=api.url,
        log=lines.append,
        **kw,
    )
    return lines


def _tables(provider: str) -> list[str]:
    return [TABLES[e] for e in PATHS[provider]]


def _latest_totals(database: Path, table: str) -> list[tuple]:
    """Per-bucket totals under staging's rule: each bucket keeps every row of its newest extraction,
    and a bucket the bucket register shows extracted later (empty: restated to zero rows) keeps none."""
    bucket, measures = MEASURES[table]
    bucket_at = (
        f"make_timestamp(cast({bucket} as bigint) * 1000000)" if bucket == "start_time" else f"strptime({bucket}, '%Y-%m-%dT%H:%M:%SZ')"
    )
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            f"""with ranked as (
                    select *, dense_rank() over (partition by {bucket} order by _loaded_at desc, _loaded_from_file desc) as extraction_rank
                    from raw.{table}
                ),
                newest as (
                    select bucket_start_at, max(_loaded_at) as newest_loaded_at
                    from raw._ai_finops_extracted_buckets where table_name = '{table}' group by 1
                )
                select {bucket}, {measures} from ranked
                where extraction_rank = 1
                    and not exists (
                        select 1 from newest where newest.bucket_start_at = {bucket_at} and newest.newest_loaded_at > ranked._loaded_at
                    )
                group by 1 order by 1"""
        ).fetchall()


def _count(database: Path, table: str) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"select count(*) from raw.{table}").fetchone()[0]


def _expected_totals(api: FakeAdminApi, table: str, days: range) -> list[tuple]:
    """The fake's current truth, aggregated in Python: the extraction must reproduce it exactly."""
    endpoint = next(e for e, t in TABLES.items() if t == table)
    out = []
    for day in days:
        results = [] if day in api.emptied else _results(endpoint, day, api.versions.get(day, 0))
        if not results:
            continue
        begin = BASE + day * DAY
        key = _unix(begin) if api.provider == "openai" else _rfc3339(begin)
        if table == "openai_usage_completions":
            sums = (
                sum(r["input_tokens"] for r in results),
                sum(r["output_tokens"] for r in results),
                sum(r["num_model_requests"] for r in results),
            )
        elif table == "openai_usage_embeddings":
            sums = (sum(r["input_tokens"] for r in results), sum(r["num_model_requests"] for r in results))
        elif table == "openai_costs":
            sums = (round(sum(r["amount"]["value"] for r in results), 6),)
        elif table.removeprefix("openai_usage_") in OTHER_USAGE:
            unit = OTHER_USAGE[table.removeprefix("openai_usage_")][0]
            sums = (sum(r[unit] for r in results),)
        elif table == "anthropic_usage_report_messages":
            sums = tuple(sum(r[k] for r in results) for k in ("uncached_input_tokens", "cache_read_input_tokens", "output_tokens"))
        else:
            sums = (round(sum(float(r["amount"]) for r in results), 6),)
        out.append((key, *sums, len(results)))
    return out


# (a) -------------------------------------------------------------------------------------------


def test_multi_page_extraction_lands_what_the_file_loader_lands(api, tmp_path):
    database = tmp_path / "api.duckdb"
    lines = _extract(api, database, since=0, until=10)
    assert any("page 4:" in line for line in lines), lines  # 10 days at 3 buckets a page: 4 pages per endpoint

    for endpoint in PATHS[api.provider]:
        queries = api.requests_for(endpoint)
        assert len(queries) == 4 and all(q["bucket_width"] == "1d" and q["group_by[]"] == GROUP_BY[endpoint] for q in queries)
        assert "page" not in queries[0] and all("page" in q for q in queries[1:])

    # The same pages, saved as files, through the file loader.
    raw = tmp_path / "raw"
    for endpoint, number, body in api.bodies:
        folder = raw / api.provider / endpoint
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page-{number}.json").write_bytes(body)
    files = tmp_path / "files.duckdb"
    load(raw, files, log=lambda _: None)

    metadata = {"_loaded_from_file": "VARCHAR", "_file_sha256": "VARCHAR", "_file_row_number": "BIGINT", "_loaded_at": "TIMESTAMP"}
    with duckdb.connect(str(database), read_only=True) as a, duckdb.connect(str(files), read_only=True) as f:
        for table in _tables(api.provider):
            a_types = dict(
                a.execute(
                    f"select column_name, data_type from information_schema.columns where table_schema = 'raw' and table_name = '{table}'"
                ).fetchall()
            )
            f_types = dict(
                f.execute(
                    f"select column_name, data_type from information_schema.columns where table_schema = 'raw' and table_name = '{table}'"
                ).fetchall()
            )
            assert set(a_types) == set(f_types), table
            bounds = ["start_time", "end_time"] if api.provider == "openai" else ["starting_at", "ending_at"]
            assert {c: a_types[c] for c in [*metadata, *bounds]} == {c: f_types[c] for c in [*metadata, *bounds]}
            assert {c: a_types[c] for c in metadata} == metadata

            data = sorted(set(a_types) - {"_loaded_from_file", "_loaded_at"})
            select = ", ".join(f'"{c}"' for c in data)
            api_rows = Counter(a.execute(f"select {select} from raw.{table}").fetchall())
            file_rows = Counter(f.execute(f"select {select} from raw.{table}").fetchall())
            assert api_rows == file_rows and sum(api_rows.values()) > 0, table  # same rows, row numbers and page hashes

            sources = a.execute(f"select distinct _loaded_from_file from raw.{table} order by 1").fetchall()
            window = f"{_rfc3339(BASE)}_{_rfc3339(BASE + 10 * DAY)}"
            endpoint = next(e for e, t in TABLES.items() if t == table)
            assert [s[0] for s in sources] == [f"api:{api.provider}/{endpoint}/{window}/page-{n:04d}" for n in range(1, 5)]
            assert a.execute(f"select count(distinct _loaded_at) from raw.{table}").fetchone()[0] == 1
            state = a.execute(
                "select max(last_complete_bucket_end) from raw._ai_finops_extract_state where endpoint = ?", [endpoint]
            ).fetchone()[0]
            assert state == BASE + 10 * DAY
    for table in _tables(api.provider):
        assert _latest_totals(database, table) == _expected_totals(api, table, range(10))


def test_extraction_appends_to_tables_the_file_loader_created(api, tmp_path):
    database = tmp_path / "w.duckdb"
    # 5 days, pages of 3: no page is all empty buckets, which load.py cannot read (it needs a column).
    _extract(api, tmp_path / "scratch.duckdb", since=0, until=5)
    raw = tmp_path / "raw"
    for endpoint, number, body in api.bodies:
        (raw / api.provider / endpoint).mkdir(parents=True, exist_ok=True)
        (raw / api.provider / endpoint / f"p{number}.json").write_bytes(body)
    load(raw, database, log=lambda _: None)
    api.restate(2)
    _extract(api, database, since=0, until=5)
    for table in _tables(api.provider):
        assert _latest_totals(database, table) == _expected_totals(api, table, range(5))  # the newer extraction wins


def test_text_where_numbers_were_seen_widens_the_column_like_the_loader(api, tmp_path):
    endpoint = next(iter(PATHS[api.provider]))
    table, field = TABLES[endpoint], ("input_tokens" if api.provider == "openai" else "uncached_input_tokens")
    database = tmp_path / "api.duckdb"
    _extract(api, database, since=0, until=3)
    bad = json.loads(api.bodies[0][2])
    bad["data"][0]["results"][0][field] = "abc"
    api.fail_once(endpoint, 1, Response(json.dumps(bad), content_type="application/json"))
    _extract(api, database, since=0, until=3, ignore_state=True)

    raw = tmp_path / "raw" / api.provider / endpoint
    raw.mkdir(parents=True)
    (raw / "1-good.json").write_bytes(api.bodies[0][2])
    (raw / "2-bad.json").write_text(json.dumps(bad))
    files = tmp_path / "files.duckdb"
    load(tmp_path / "raw", files, log=lambda _: None)
    query = f"select data_type from information_schema.columns where table_name = '{table}' and column_name = '{field}'"
    values = f"select {field}, count(*) from raw.{table} group by 1 order by 1"
    with duckdb.connect(str(database), read_only=True) as a, duckdb.connect(str(files), read_only=True) as f:
        assert a.execute(query).fetchall() == f.execute(query).fetchall() == [("VARCHAR",)]
        assert a.execute(values).fetchall() == f.execute(values).fetchall()
        assert ("abc", 1) in a.execute(values).fetchall()


# (b) -------------------------------------------------------------------------------------------


def test_429_with_retry_after_is_retried(api, tmp_path):
    endpoint = next(iter(PATHS[api.provider]))
    api.fail_once(endpoint, 2, Response("slow down", status=429, headers={"Retry-After": "1"}))
    api.fail_once(endpoint, 3, Response("upstream", status=503))
    _extract(api, tmp_path / "w.duckdb", since=0, until=10)
    assert len(api.requests_for(endpoint)) == 6  # 4 pages + 2 retries
    times = [t for e, t in api.times if e == endpoint]
    assert times[2] - times[1] >= 0.95  # the client backs off 0.01 s, so only Retry-After explains the wait
    assert times[4] - times[3] < 0.9  # a 503 without Retry-After backs off exponentially from the (small) factor
    for table in _tables(api.provider):
        assert _latest_totals(tmp_path / "w.duckdb", table) == _expected_totals(api, table, range(10))


def test_persistent_5xx_gives_up_with_a_clear_error(api, tmp_path):
    endpoint = next(iter(PATHS[api.provider]))
    for _ in range(3):
        api.fail_once(endpoint, 1, Response("boom", status=502))
    with pytest.raises(ExtractError, match=rf"{api.provider} {endpoint} page 1: HTTP 502"):
        _extract(api, tmp_path / "w.duckdb", since=0, until=10)
    assert len(api.requests_for(endpoint)) == 3


# (c) -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"object": "page", "data": [{"start_time": 1', "not valid JSON"),
        (b"<html>502 Bad Gateway</html>", "not valid JSON"),
        (b'{"object": "page", "has_more": false, "next_page": null}', "no `data` list"),
    ],
)
def test_a_malformed_page_raises_and_lands_nothing_from_it(api, tmp_path, body, message):
    endpoint = next(iter(PATHS[api.provider]))
    table = TABLES[endpoint]
    api.fail_once(endpoint, 2, Response(body, content_type="application/json"))
    database = tmp_path / "w.duckdb"
    with pytest.raises(ExtractError, match=rf"{api.provider} {endpoint} page 2: .*{message}"):
        _extract(api, database, since=0, until=10)
    with duckdb.connect(str(database), read_only=True) as con:
        sources = [r[0] for r in con.execute(f"select distinct _loaded_from_file from raw.{table}").fetchall()]
        state = con.execute(
            "select max(last_complete_bucket_end) from raw._ai_finops_extract_state where endpoint = ?", [endpoint]
        ).fetchone()[0]
    # Page 1 was committed before page 2 was fetched; nothing of page 2 or later landed.
    assert len(sources) == 1 and sources[0].endswith("/page-0001")
    assert _latest_totals(database, table) == _expected_totals(api, table, range(3))
    assert state == BASE + 3 * DAY


def test_a_bucket_split_over_two_pages_is_refused(api, tmp_path):
    """Staging keeps one extraction per bucket, so a bucket continued on the next page would lose rows."""
    endpoint = next(iter(PATHS[api.provider]))
    repeated = {"data": [api._bucket(endpoint, 2)], "has_more": True, "next_page": base64.b64encode(b"offset:6").decode()}
    api.fail_once(endpoint, 2, Response(json.dumps(repeated), content_type="application/json"))
    with pytest.raises(ExtractError, match=rf"{api.provider} {endpoint} page 2: bucket .* continues from an earlier page"):
        _extract(api, tmp_path / "w.duckdb", since=0, until=10)
    assert _latest_totals(tmp_path / "w.duckdb", TABLES[endpoint]) == _expected_totals(api, TABLES[endpoint], range(3))


# (d) -------------------------------------------------------------------------------------------


def test_incremental_runs_resume_from_state_minus_lookback_and_never_double_count(api, tmp_path):
    database = tmp_path / "w.duckdb"
    api.page_size = 5
    _extract(api, database, since=0, until=10)
    api.requests.clear()
    api.restate(9)  # the provider restated a day inside the lookback
    api.restate(8)
    api.restate_to_zero_rows(9)  # ...and another day's usage away entirely: the bucket comes back empty
    _extract(api, database, since=None, until=14, lookback_days=2)
    start_key = "start_time" if api.provider == "openai" else "starting_at"
    expected_start = _unix(BASE + 8 * DAY) if api.provider == "openai" else _rfc3339(BASE + 8 * DAY)
    for endpoint in PATHS[api.provider]:
        first = api.requests_for(endpoint)[0]
        assert first[start_key] == str(expected_start)  # state (day 10) minus 2 days

    one_run = tmp_path / "one.duckdb"
    _extract(api, one_run, since=0, until=14)
    for table in _tables(api.provider):
        assert _count(database, table) > _count(one_run, table)  # the overlap landed twice in raw...
        assert _latest_totals(database, table) == _latest_totals(one_run, table)  # ...but counts once
        assert _latest_totals(database, table) == _expected_totals(api, table, range(14))


def test_todays_partial_bucket_does_not_advance_the_state(api, tmp_path):
    database = tmp_path / "w.duckdb"
    _extract(api, database, since=37, until=None)  # up to now: the last bucket is today's, still open
    today = BASE + 40 * DAY
    with duckdb.connect(str(database), read_only=True) as con:
        states = con.execute("select endpoint, last_complete_bucket_end from raw._ai_finops_extract_state order by 1").fetchall()
        buckets = con.execute(
            f"select count(distinct {MEASURES[_tables(api.provider)[0]][0]}) from raw.{_tables(api.provider)[0]}"
        ).fetchone()[0]
    assert buckets == 3  # days 37, 39 and today (38 is an empty bucket)
    assert sorted(states) == sorted((endpoint, today) for endpoint in PATHS[api.provider])


def test_first_run_needs_since(api, tmp_path):
    with pytest.raises(ExtractError, match="no saved state yet; pass --since"):
        _extract(api, tmp_path / "w.duckdb", since=None, until=10)
    assert api.requests == []


# (e) -------------------------------------------------------------------------------------------


def _cli(api: FakeAdminApi, database: Path, *args: str) -> list[str]:
    return ["extract", api.provider, "--database", str(database), "--base-url", api.url, *args]


def test_a_killed_run_then_a_rerun_equals_an_uninterrupted_run(api, tmp_path, capsys):
    database = tmp_path / "w.duckdb"
    command = _cli(api, database, "--since", BASE.strftime("%Y-%m-%d"), "--until", (BASE + 8 * DAY).strftime("%Y-%m-%d"))
    api.page_size, api.delay = 2, 0.4
    endpoint = next(iter(PATHS[api.provider]))
    # TMPDIR: the killed child cannot remove its dlt scratch directory; keep it inside tmp_path.
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ai_finops.cli", *command], cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    watchdog = threading.Timer(40, proc.kill)  # never let a hung child hang the suite
    watchdog.start()
    try:
        output = []
        for line in proc.stdout:
            output.append(line)
            if f"{endpoint} page 2:" in line:
                proc.send_signal(signal.SIGKILL)  # mid-run: page 3 is being served slowly
                break
        proc.wait(timeout=20)
    finally:
        watchdog.cancel()
    assert proc.returncode == -signal.SIGKILL, "".join(output)
    table = TABLES[endpoint]
    killed_rows = _count(database, table)
    assert 0 < killed_rows < len([r for d in range(8) for r in _results(endpoint, d, 0)])

    # The scheduler runs the same command again.
    api.delay = 0
    assert main(command) == 0
    out = capsys.readouterr().out
    assert f"{endpoint}: {_rfc3339(BASE + 2 * DAY)}" in out and "minus 2-day lookback" in out  # resumed, not restarted

    uninterrupted = tmp_path / "one.duckdb"
    _extract(api, uninterrupted, since=0, until=8)
    for t in _tables(api.provider):
        assert _latest_totals(database, t) == _latest_totals(uninterrupted, t) == _expected_totals(api, t, range(8))


# (f) -------------------------------------------------------------------------------------------


def test_the_admin_key_never_reaches_the_warehouse_or_the_output(api, tmp_path, capfd, caplog, monkeypatch):
    from dlt.common.versioned_state import decompress_state

    key = KEYS[api.provider]
    database = tmp_path / "w.duckdb"
    assert main(_cli(api, database, "--since", BASE.strftime("%Y-%m-%d"), "--until", (BASE + 6 * DAY).strftime("%Y-%m-%d"))) == 0
    ok = capfd.readouterr()
    assert "rows landed" in ok.out

    # An error body that echoes the key must not carry it into the message.
    endpoint = next(iter(PATHS[api.provider]))
    api.fail_once(endpoint, 1, Response(json.dumps({"error": f"key {key} is revoked"}), status=401))
    assert main(_cli(api, database)) == 1
    failed = capfd.readouterr()
    assert "HTTP 401" in failed.err and "***" in failed.err

    # No key: a clear message, and no request sent.
    served = len(api.requests)
    monkeypatch.delenv(f"{api.provider.upper()}_ADMIN_KEY")
    assert main(_cli(api, database)) == 1
    missing = capfd.readouterr()
    assert f"{api.provider.upper()}_ADMIN_KEY is not set" in missing.err and len(api.requests) == served

    for captured in (ok, failed, missing):
        assert key not in captured.out + captured.err
    assert key not in caplog.text and "GET /v1/" in caplog.text  # the server's request log was captured, without it
    with duckdb.connect(str(database), read_only=True) as con:
        text_columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns where data_type = 'VARCHAR' and table_catalog = current_database()"
        ).fetchall()
        assert len(text_columns) > 20
        for schema, table, column in text_columns:
            hits = con.execute(f'select count(*) from "{schema}"."{table}" where contains("{column}", ?)', [key]).fetchone()[0]
            assert hits == 0, f"{schema}.{table}.{column}"
        # dlt keeps its state compressed: look inside it too.
        for (state,) in con.execute("select state from raw._dlt_pipeline_state").fetchall():
            assert key not in json.dumps(decompress_state(state))
    assert key.encode() not in database.read_bytes()
