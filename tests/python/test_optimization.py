"""Outcomes source, unit economics and optimization recommendations on the demo data."""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from ai_finops.demo import outcomes as business_outcomes
from ai_finops.demo.generator import generate

from .conftest import PROJECT


def _usage_digest(folder):
    """Digest of every generated file except the outcomes folder and the manifest."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if relative.parts[0] == "outcomes" or relative.name == "manifest.json":
            continue
        h.update(str(relative).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def test_outcomes_do_not_perturb_the_usage_data(tmp_path, monkeypatch):
    with_outcomes = generate(tmp_path / "a", PROJECT, scale=0.005, seed=11, days=20)
    monkeypatch.setattr(business_outcomes, "simulate_outcomes", lambda df, seed: pd.DataFrame(columns=business_outcomes.COLUMNS))
    without = generate(tmp_path / "b", PROJECT, scale=0.005, seed=11, days=20)
    assert _usage_digest(tmp_path / "a") == _usage_digest(tmp_path / "b")
    outcomes = with_outcomes.pop("outcomes")
    without.pop("outcomes")
    assert with_outcomes == without  # usage truth identical
    assert outcomes["rows"] > 0 and len(outcomes["files"]) == 1  # 20 days: one monthly file


def test_outcomes_file_shape(demo_raw, manifest):
    files = manifest["outcomes"]["files"]
    assert files == [f"outcomes/business_outcomes/business_outcomes_2026-{m}.csv" for m in ("08", "09", "10")]
    frame = pd.concat(pd.read_csv(demo_raw / f) for f in files)
    assert list(frame.columns) == business_outcomes.COLUMNS
    assert len(frame) == manifest["outcomes"]["rows"]
    assert (frame["outcome_count"] > 0).all()
    assert set(manifest["outcomes"]["workflows_without_outcomes"]) == {"shared-pool-misc", "sandbox-experiments", "eval-harness"}
    assert not frame["workflow_id"].isin(manifest["outcomes"]["workflows_without_outcomes"]).any()


def test_outcomes_are_staged_exactly_as_generated(marts, manifest):
    staged = marts.execute(
        "select workflow_id || '|' || outcome_type, sum(outcome_count) from main_staging.stg_outcomes__business_outcomes group by 1"
    ).fetchall()
    assert dict(staged) == manifest["outcomes"]["outcome_count_by_workflow"]
    by_month = marts.execute(
        """select strftime(usage_month, '%Y-%m') || '|' || workflow_id, sum(outcome_count)
           from main_marts.fct_unit_economics_monthly where outcome_type <> 'none' group by 1 having sum(outcome_count) > 0"""
    ).fetchall()
    assert dict(by_month) == manifest["outcomes"]["outcome_count_by_month_workflow"]


def test_cost_per_outcome_recomputes_from_attributed_cost(marts):
    """Ticket classifier, September: attributed contracted cost / tickets classified, by hand."""
    cost = marts.execute(
        """select sum(contracted_cost) from main_intermediate.int_usage_attributed
           where workflow_id = 'ticket-classifier' and team_id = 'support-automation'
             and usage_date >= date '2026-09-01' and usage_date < date '2026-10-01'"""
    ).fetchone()[0]
    tickets = marts.execute(
        """select sum(outcome_count) from main_staging.stg_outcomes__business_outcomes
           where workflow_id = 'ticket-classifier' and event_date >= date '2026-09-01' and event_date < date '2026-10-01'"""
    ).fetchone()[0]
    row = marts.execute(
        """select contracted_cost_per_outcome, outcome_count, consumption_signal from main_marts.fct_unit_economics_monthly
           where workflow_id = 'ticket-classifier' and usage_month = date '2026-09-01'"""
    ).fetchone()
    assert row[1] == tickets
    assert abs(row[0] - cost / tickets) < 1e-12
    assert row[2] == "spend tracks outcomes"


def test_runaway_loop_shows_as_spend_without_results(marts, manifest):
    """The October runaway weekend bought no deals: the deal desk's cost per deal explodes."""
    rows = dict(
        marts.execute(
            """select strftime(usage_month, '%Y-%m'), contracted_cost_per_outcome from main_marts.fct_unit_economics_monthly
               where workflow_id = 'deal-desk-agent' and team_id = 'sales-engineering'"""
        ).fetchall()
    )
    assert rows["2026-10"] > 20 * rows["2026-09"]
    change = marts.execute(
        """select cost_per_outcome_change_pct, consumption_signal from main_marts.fct_unit_economics_monthly
           where workflow_id = 'deal-desk-agent' and usage_month = date '2026-10-01'"""
    ).fetchone()
    assert change[0] > 1000
    assert change[1] == "spend does not track outcomes"
    # workflows with no business outcome are shown as such, not as free or infinitely expensive
    evals = marts.execute(
        "select distinct outcome_type, consumption_signal from main_marts.fct_unit_economics_monthly where workflow_id = 'eval-harness'"
    ).fetchall()
    assert evals == [("none", "no outcomes reported")]
    assert json.dumps(manifest["outcomes"])  # the truth is serialisable (written to manifest.json)
