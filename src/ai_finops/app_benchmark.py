"""`ai-finops benchmark-app`: how long each dashboard page takes to render, after warm-up.

Every page of the real app (st.navigation and all) is rendered by Streamlit's AppTest in this process
over a built DuckDB file: one warm-up pass over all pages (imports, first queries), then `--rounds`
renders of each page with the query cache warm (what a viewer gets once the TTL cache is filled) and
as many with it cleared before each render (every query read from the file). Per page: median and
worst milliseconds. A script, never a timed test; the target is < 1 s per page.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

PAGES = {
    "overview": "Overview",
    "chargeback": "Chargeback",
    "budgets": "Budgets & forecast",
    "anomalies": "Anomalies & policies",
    "optimization": "Optimization",
    "reconciliation": "Reconciliation & data quality",
    "estimates": "Estimates",
}
TARGET_MS = 1000.0
MARK_START, MARK_END = "<!-- benchmark-app:start -->", "<!-- benchmark-app:end -->"


def run(database: Path, app: Path, rounds: int = 5) -> dict:
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    os.environ["AI_FINOPS_DUCKDB_PATH"] = str(Path(database).resolve())
    sys.path.insert(0, str(app.parent))
    import data_access

    at = AppTest.from_file(str(app), default_timeout=300)

    def render(url_path: str) -> float:
        at._page_hash = calc_hash(url_path)  # what the sidebar link does for a callable st.Page
        started = time.perf_counter()
        at.run()
        elapsed = (time.perf_counter() - started) * 1000
        if at.exception:
            raise RuntimeError(f"page {url_path} raised: {at.exception[0].message}")
        return elapsed

    at.run()
    for url_path in PAGES:  # warm-up
        render(url_path)
    pages = []
    for url_path, title in PAGES.items():
        warm = [render(url_path) for _ in range(rounds)]
        cold = []
        for _ in range(rounds):
            data_access.clear_cache()
            cold.append(render(url_path))
        pages.append(
            {
                "page": title,
                "warm_median_ms": statistics.median(warm),
                "warm_max_ms": max(warm),
                "uncached_median_ms": statistics.median(cold),
                "uncached_max_ms": max(cold),
            }
        )
    with data_access.query.__globals__["duckdb"].connect(str(database), read_only=True) as con:
        gateway_requests = con.execute(
            "select sum(request_count) from main_marts.fct_chargeback_monthly where line_type = 'usage'"
        ).fetchone()[0]
    return {
        "database": str(database),
        "database_mib": Path(database).stat().st_size / 2**20,
        "requests": int(gateway_requests or 0),
        "rounds": rounds,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "pages": pages,
    }


def markdown(summary: dict) -> str:
    lines = [
        MARK_START,
        f"Measured {summary['measured_at']} on {summary['machine']} (shared with other jobs), "
        f"{summary['database_mib']:,.0f} MiB DuckDB file, {summary['requests']:,} billed requests in the marts, "
        f"{summary['rounds']} renders per page and mode after one warm-up pass.",
        "",
        "| page | cached: median ms | cached: worst ms | uncached: median ms | uncached: worst ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for page in summary["pages"]:
        lines.append(
            f"| {page['page']} | {page['warm_median_ms']:,.0f} | {page['warm_max_ms']:,.0f} | "
            f"{page['uncached_median_ms']:,.0f} | {page['uncached_max_ms']:,.0f} |"
        )
    cached = max(p["warm_max_ms"] for p in summary["pages"])
    uncached = max(p["uncached_max_ms"] for p in summary["pages"])
    uncached_median = max(p["uncached_median_ms"] for p in summary["pages"])

    def verdict(ms: float) -> str:
        return "under" if ms < TARGET_MS else "OVER"

    lines += [
        "",
        f"After warm-up (cached), worst render {cached:,.0f} ms: {verdict(cached)} the {TARGET_MS:,.0f} ms target. "
        f"Uncached (every query read from the file), slowest median {uncached_median:,.0f} ms "
        f"({verdict(uncached_median)} the target), worst single render {uncached:,.0f} ms ({verdict(uncached)}).",
        MARK_END,
    ]
    return "\n".join(lines)


def record(summary: dict, document: Path) -> None:
    """Replaces the figures between the markers in docs/benchmark.md (appends the section the first time)."""
    text = document.read_text() if document.exists() else ""
    block = markdown(summary)
    if MARK_START in text and MARK_END in text:
        head, rest = text.split(MARK_START, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Dashboard page render times\n\n" + _INTRO + "\n\n" + block + "\n"
    document.write_text(text)


_INTRO = (
    "`ai-finops benchmark-app [--database data/ai_finops.duckdb] [--rounds 5] [--record docs/benchmark.md]` renders every "
    "page of the real app with Streamlit's AppTest (in-process: no browser, no network) after one warm-up pass: "
    "*cached* is what a viewer gets while the TTL query cache holds the answers; *uncached* clears the cache before "
    "each render, so every query reads the DuckDB file. Target: under 1 s per page. A script, never a timed test."
)
