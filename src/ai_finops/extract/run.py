"""One extraction run: every endpoint of a provider, incrementally, page by page."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
from dlt.sources.helpers import requests as dlt_requests

from ai_finops.extract.api import ExtractError, fetch_pages, make_client
from ai_finops.extract.providers import PROVIDERS, Endpoint, Provider
from ai_finops.extract.warehouse import Warehouse, page_rows, to_arrow

DAY = timedelta(days=1)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def extract(
    provider_name: str,
    database: Path,
    since: datetime | None = None,
    until: datetime | None = None,
    base_url: str | None = None,
    lookback_days: int = 2,
    ignore_state: bool = False,
    schema: str = "raw",
    client: dlt_requests.Client | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, dict[str, int]]:
    """Extracts [start, until) for each endpoint; times are naive UTC.

    start is --since on an endpoint's first run, else its saved state minus the lookback: reports
    are restated until the day closes, and the re-extracted buckets supersede the older copies.
    """
    provider = PROVIDERS[provider_name]
    if lookback_days < 0:
        raise ExtractError(f"--lookback-days must be 0 or more, got {lookback_days}")
    key = os.environ.get(provider.key_env, "")
    if not key:
        raise ExtractError(f"{provider.key_env} is not set: export an {provider.name} admin key to extract")
    base = base_url or os.environ.get(provider.base_url_env) or provider.default_base_url
    # One timestamp for the whole run: staging keeps, per bucket, the rows of the newest run.
    run_at = datetime.now(UTC).replace(tzinfo=None)
    window_end = min(until, run_at) if until else run_at
    client = client or make_client()
    database.parent.mkdir(parents=True, exist_ok=True)
    summary: dict[str, dict[str, int]] = {}
    with duckdb.connect(str(database)) as con:
        con.execute("set enable_progress_bar = false")
        warehouse = Warehouse(con, schema)
        try:
            for endpoint in provider.endpoints:
                summary[endpoint.name] = _extract_endpoint(
                    provider, endpoint, warehouse, client, base, key, since, window_end, lookback_days, ignore_state, run_at, log
                )
        finally:
            warehouse.close()
    return summary


def _extract_endpoint(
    provider: Provider,
    endpoint: Endpoint,
    warehouse: Warehouse,
    client: dlt_requests.Client,
    base_url: str,
    key: str,
    since: datetime | None,
    window_end: datetime,
    lookback_days: int,
    ignore_state: bool,
    run_at: datetime,
    log: Callable[[str], None],
) -> dict[str, int]:
    label = f"{provider.name} {endpoint.name}"
    saved = warehouse.state(provider.name, endpoint)
    if since is not None and (saved is None or ignore_state):
        start, why = since, "from --since"
    elif saved is not None:
        start, why = saved - timedelta(days=lookback_days), f"saved state {_iso(saved)} minus {lookback_days}-day lookback"
        if since is not None:
            why += "; --since ignored (pass --ignore-state to re-extract from it)"
    else:
        raise ExtractError(f"{label}: no saved state yet; pass --since YYYY-MM-DD for the first run")
    start = _midnight(start)  # 1d buckets are snapped to UTC midnight
    if start >= window_end:
        log(f"{label}: nothing to extract ({_iso(start)} is not before {_iso(window_end)})")
        return {"pages": 0, "rows": 0}
    log(f"{label}: {_iso(start)} -> {_iso(window_end)} ({why})")
    params = {
        provider.start_key: provider.format_time(start),
        provider.end_key: provider.format_time(window_end),
        "bucket_width": "1d",
        "limit": endpoint.limit,
        "group_by[]": list(endpoint.group_by),
    }
    window = f"{_iso(start)}_{_iso(window_end)}"
    seen: set[datetime] = set()
    pages = rows_total = 0
    for page in fetch_pages(client, provider, endpoint, base_url, params, key):
        bounds = [(provider.parse_time(b[provider.start_key]), provider.parse_time(b[provider.end_key])) for b in page.buckets]
        for bucket_start, _ in bounds:
            # Staging keeps one extraction per bucket; a bucket split over two pages would lose a part.
            if bucket_start in seen:
                raise ExtractError(f"{label} page {page.number}: bucket {_iso(bucket_start)} continues from an earlier page")
            seen.add(bucket_start)
        rows = page_rows(page.buckets, provider.start_key, provider.end_key)
        source = f"api:{provider.name}/{endpoint.name}/{window}/page-{page.number:04d}"
        if rows:
            warehouse.land(endpoint, to_arrow(rows, source, page.sha256, run_at))
        # every bucket of the page, empty ones too: a day restated down to zero rows supersedes its old rows
        warehouse.record_buckets(endpoint, bounds, source, run_at)
        # A bucket is complete once a whole day has ended; today's partial bucket does not count.
        complete = [end for begin, end in bounds if end <= run_at and end - begin >= DAY]
        if complete:
            warehouse.advance(provider.name, endpoint, max(complete), run_at)
        pages += 1
        rows_total += len(rows)
        log(f"{label} page {page.number}: {len(page.buckets)} buckets, {len(rows)} rows landed")
    state = warehouse.state(provider.name, endpoint)
    log(f"{label}: done, {pages} pages, {rows_total} rows; complete up to {_iso(state) if state else 'nothing yet'}")
    return {"pages": pages, "rows": rows_total}
