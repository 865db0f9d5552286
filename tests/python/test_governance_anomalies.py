"""Anomaly detection against the generator's planted incidents: recall, precision, first-hour detection."""

from __future__ import annotations

from datetime import datetime

import pytest

ANOMALIES = "main_marts.fct_spend_anomalies"


def _planted_surges(manifest: dict) -> list[dict]:
    """Planted incidents that add spend in a time window (the gateway log gap removes rows instead)."""
    return [e for e in manifest["planted_events"] if "start_at" in e and "workflow_id" in e and e.get("list_cost", 0) > 0]


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=None)


def _episodes(marts) -> list[dict]:
    cur = marts.execute(f"select * from {ANOMALIES}")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _matches(episode: dict, event: dict, teams: dict) -> bool:
    """Overlaps the event in time, on the event's workflow, its agent / keys (named after it) or its team."""
    end = episode["ended_at"] or datetime.max
    scope = episode["scope_id"]
    return (
        episode["started_at"] < _ts(event["end_at"])
        and end > _ts(event["start_at"])
        and (scope.startswith(event["workflow_id"]) or (episode["scope_type"] == "team" and scope == teams[event["workflow_id"]]))
    )


def measure(marts, manifest) -> dict:
    episodes, events = _episodes(marts), _planted_surges(manifest)
    teams = dict(marts.execute("select workflow_id, team_id from main_reference.ai_finops__workflows").fetchall())
    true_episodes = [e for e in episodes if any(_matches(e, ev, teams) for ev in events)]
    found = [ev for ev in events if any(_matches(e, ev, teams) for e in episodes)]
    return {
        "episodes": len(episodes),
        "true_episodes": len(true_episodes),
        "precision": len(true_episodes) / len(episodes) if episodes else 0.0,
        "planted": len(events),
        "recall": len(found) / len(events) if events else 1.0,
    }


def test_every_planted_incident_is_found_and_false_alarms_are_few(marts, manifest):
    figures = measure(marts, manifest)
    print(f"\nanomaly detection vs manifest: {figures}")
    assert figures["planted"] >= 1
    assert figures["recall"] == 1.0
    assert figures["precision"] >= 0.8, figures


def test_runaway_loop_is_critical_in_its_first_hour(marts, manifest):
    event = next(e for e in manifest["planted_events"] if e["id"] == "runaway_agent_loop")
    start, end = _ts(event["start_at"]), _ts(event["end_at"])
    rows = [
        e
        for e in _episodes(marts)
        if e["granularity"] == "hour" and e["scope_type"] == "workflow" and e["scope_id"] == event["workflow_id"]
    ]
    assert len(rows) == 1, rows
    loop = rows[0]
    assert loop["detection_period_at"] == start  # flagged in the loop's first hour
    assert loop["severity"] == "critical" and loop["is_runaway_loop"]
    assert loop["ended_at"] == end and not loop["is_ongoing"]
    assert loop["owner_team_id"] == "sales-engineering"
    # excess dollars: what the loop cost (contracted, recomputed from the priced requests) minus the tiny baseline
    loop_cost = marts.execute(
        """select sum(contracted_cost) from main_intermediate.int_gateway_requests_priced
           where workflow_id = ? and request_started_at >= ? and request_started_at < ?""",
        [event["workflow_id"], start, end],
    ).fetchone()[0]
    assert loop["contracted_cost"] == pytest.approx(loop_cost, rel=1e-9)
    assert loop_cost - 5 < loop["excess_cost"] <= loop_cost
    # contracted excess: between 85% of the planted list cost (10% Anthropic discount) and all of it
    assert 0.85 * event["list_cost"] < loop["excess_cost"] <= event["list_cost"]
    assert loop["first_period_excess_cost"] > 5


def test_daily_scoring_covers_all_sources_and_finds_the_loop_days(marts, manifest):
    event = next(e for e in manifest["planted_events"] if e["id"] == "runaway_agent_loop")
    days = [e for e in _episodes(marts) if e["granularity"] == "day"]
    team = next(e for e in days if e["scope_type"] == "team" and e["scope_id"] == "sales-engineering")
    # the loop runs Saturday 01:00 to Monday 03:00: three anomalous days, first flagged on the Saturday
    assert team["started_at"] == _ts(event["start_at"]).replace(hour=0)
    assert team["anomalous_periods"] == 3 and team["ended_at"] == datetime(2026, 10, 13)
    daily = dict(
        marts.execute(
            """select usage_date, sum(contracted_cost) from main_marts.fct_ai_cost_daily
               where team_id = 'sales-engineering' and usage_date between '2026-10-10' and '2026-10-12' group by 1"""
        ).fetchall()
    )
    assert team["contracted_cost"] == pytest.approx(sum(daily.values()), rel=1e-9)
    assert team["severity"] == "critical" and team["excess_cost"] > 0.95 * team["contracted_cost"]


def test_hourly_grid_sums_to_gateway_requests(marts):
    by_scope = marts.execute(
        """select scope_type, sum(request_count), sum(contracted_cost) from main_intermediate.int_gateway_spend_hourly
           where scope_type in ('workflow', 'api_key') group by 1"""
    ).fetchall()
    total_requests, total_cost = marts.execute(
        "select count(*), sum(contracted_cost) from main_intermediate.int_gateway_requests_priced"
    ).fetchone()
    for _, requests, cost in by_scope:
        assert requests == total_requests
        assert abs(cost - total_cost) < 1e-6
