"""The dashboard keeps answering while a build runs: a real `ai-finops build --publish` rebuilds the marts
into a copy of the published file and swaps it in; meanwhile the app is asked again and again (query
cache cleared each time, so every answer reads the file) and must keep giving the right figures, then
show the new build time once the build is published."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import duckdb
from streamlit.testing.v1 import AppTest

from .conftest import CLI, PROJECT

APP = PROJECT / "app" / "streamlit_app.py"


def _build_caption(at: AppTest) -> str:
    return next(c.value for c in at.sidebar.caption if c.value.startswith("Data built"))


def test_the_app_keeps_answering_while_a_build_is_published(built_database, tmp_path, monkeypatch):
    published = tmp_path / "ai_finops.duckdb"
    shutil.copyfile(built_database, published)
    with duckdb.connect(str(published), read_only=True) as con:
        month, total = con.execute(
            "select billing_month, sum(list_cost) from main_marts.fct_chargeback_monthly where line_type = 'usage' group by 1 order by 1 desc limit 1"
        ).fetchone()
        built_before = con.execute("select built_at from main_marts.dim_data_build").fetchone()[0]
    expected = f"${total:,.2f}"
    monkeypatch.setenv("AI_FINOPS_DUCKDB_PATH", str(published))
    sys.path.insert(0, str(APP.parent))
    import data_access

    at = AppTest.from_file(str(APP), default_timeout=90).run()
    assert not at.exception and at.metric[0].value == expected
    caption_before = _build_caption(at)
    assert f"{built_before:%Y-%m-%d %H:%M:%S}" in caption_before

    time.sleep(1.1)  # dbt's run_started_at has second precision: the new build must start in a later second
    building = published.with_name("ai_finops.building.duckdb")
    build = subprocess.Popen(
        [*CLI, "build", "--database", str(published), "--publish", "--select", "path:models/marts"],
        cwd=PROJECT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    answers_while_building = 0
    try:
        while build.poll() is None:
            data_access.clear_cache()
            building_now = building.exists()
            at.run()
            assert not at.exception, at.exception[0].message
            assert at.metric[0].value == expected
            if building_now and build.poll() is None:
                answers_while_building += 1
                assert _build_caption(at) == caption_before  # the previous build, until the new one is published
        output = build.stdout.read()
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 0, output[-4000:]
    assert answers_while_building >= 3, output[-2000:]
    assert not building.exists()

    data_access.clear_cache()
    at.run()
    assert not at.exception and at.metric[0].value == expected  # same data, rebuilt
    caption_after = _build_caption(at)
    with duckdb.connect(str(published), read_only=True) as con:
        built_after = con.execute("select built_at from main_marts.dim_data_build").fetchone()[0]
    assert built_after > built_before and caption_after != caption_before
    assert f"{built_after:%Y-%m-%d %H:%M:%S}" in caption_after
