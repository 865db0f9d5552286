"""The dashboard in a real browser: the app is served on localhost from the built test warehouse,
headless Debian chromium (driven by playwright) visits every page, checks what a person sees, and
saves a screenshot of each page under target/browser/ (CI artifacts)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import PROJECT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = PROJECT / "target" / "browser"
PAGES = {
    "": "AI spend overview",  # the default page lives at the root URL
    "chargeback": "Chargeback",
    "budgets": "Budgets",
    "anomalies": "Anomalies",
    "optimization": "Optimization",
    "reconciliation": "Reconciliation",
    "estimates": "Estimates",
}

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="no chromium: run `make browser` (Debian package) for the real-browser test"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served_app(built_database):
    port = _free_port()
    env = {**os.environ, "AI_FINOPS_DUCKDB_PATH": str(built_database)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(PROJECT / "app" / "streamlit_app.py"),
        "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("streamlit did not become healthy within 60 s")
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_every_page_renders_in_a_real_browser(served_app):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path, heading in PAGES.items():
            page.goto(f"{served_app}/{path}")
            page.get_by_role("heading", name=heading).first.wait_for(timeout=45_000)
            # Streamlit streams the page over a websocket: wait until an amount of money is on screen
            page.get_by_text(re.compile(r"\$\s?[0-9]")).first.wait_for(timeout=45_000)
            # ... and the script run has finished (the "running" status widget is gone)
            page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=90_000)
            page.wait_for_load_state("networkidle")
            body = page.inner_text("body")
            assert page.locator('[data-testid="stException"]').count() == 0, f"{path}: an exception is shown"
            assert "Traceback" not in body, path
            assert "Page not found" not in body, path
            assert "Data built" in body, f"{path}: the data's build time is not shown"
            assert "Business unit" in body, f"{path}: the business-unit filter is not in the sidebar"
            page.screenshot(path=str(SCREENSHOTS / f"{path or 'overview'}.png"), full_page=True)
        browser.close()
    assert {p.stem for p in SCREENSHOTS.glob("*.png")} >= {path or "overview" for path in PAGES}


def test_downloads_are_built_when_clicked_and_hold_the_filtered_rows(served_app, built_database):
    """The chargeback's "all lines" CSV is produced by the server only when clicked (outside the script
    run), with the business-unit filter in force when the page was drawn."""
    import csv
    import io
    from pathlib import Path

    import duckdb
    from playwright.sync_api import sync_playwright

    with duckdb.connect(str(built_database), read_only=True) as con:
        month, lines = con.execute(
            """select billing_month, count(*) from main_marts.fct_chargeback_monthly where business_unit_id = 'bu-product'
               group by 1 order by 1 desc limit 1"""
        ).fetchone()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(f"{served_app}/chargeback?business_unit=bu-product&month={month:%Y-%m}")
        page.get_by_role("heading", name="Chargeback").first.wait_for(timeout=45_000)
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=90_000)
        button = page.get_by_role("button", name="Download all lines of the month (CSV)")
        button.wait_for(timeout=45_000)
        with page.expect_download(timeout=60_000) as info:
            button.click()
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))
        browser.close()
    assert len(rows) == lines and {r["business_unit_id"] for r in rows} == {"bu-product"}
