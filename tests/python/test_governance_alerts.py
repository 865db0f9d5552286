"""Alerts CLI and enforcement feed against the built demo: webhook payloads, de-duplication, LiteLLM settings."""

from __future__ import annotations

import io
import json

from ai_finops.alerts import apply_feed, collect_alerts, enforcement_feed, send_alerts

from .conftest import run_cli


def test_alerts_cover_budgets_anomalies_and_policies(marts):
    alerts = collect_alerts(marts)
    keys = [a.alert_key for a in alerts]
    assert len(keys) == len(set(keys))
    assert {a.kind for a in alerts} == {"budget", "anomaly", "policy", "estimate"}
    # the badly under-estimated RAG workflow alerts every month; the accurate estimate never does
    over = {a.alert_key for a in alerts if a.kind == "estimate"}
    assert {"estimate:est-2026-017:2026-08-01", "estimate:est-2026-017:2026-09-01"} <= over
    assert not any(k.startswith("estimate:est-2026-014:") for k in over)
    loop = next(a for a in alerts if a.kind == "anomaly" and a.details["scope_type"] == "workflow" and a.details["granularity"] == "hour")
    assert loop.severity == "critical" and loop.details["is_runaway_loop"] and loop.owner_team_id == "sales-engineering"
    assert loop.details["started_at"] == "2026-10-10T01:00:00" and loop.amount > 1000
    assert "budget:bud-team-sales-engineering:2026-10-01:hard_cap" in keys
    assert not any(k.startswith("budget:bud-team-legal-ops:2026-10-01:threshold:100") for k in keys)


def test_webhook_receives_slack_payloads_and_rerun_sends_nothing(marts, httpserver, tmp_path):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    state = tmp_path / "state.json"
    alerts = collect_alerts(marts)
    out = io.StringIO()
    sent, failed = send_alerts(alerts, out, state, httpserver.url_for("/hook"))
    assert (sent, failed) == (len(alerts), 0)
    posted = [json.loads(req.get_data()) for req, _ in httpserver.log]
    assert len(posted) == len(alerts)
    assert all(p["text"] and p["blocks"][0]["type"] == "section" for p in posted)
    assert any("runaway loop" in p["text"] for p in posted)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["alert_key"] for line in lines] == [a.alert_key for a in alerts]
    # second run: nothing printed, nothing posted
    out2 = io.StringIO()
    assert send_alerts(collect_alerts(marts), out2, state, httpserver.url_for("/hook")) == (0, 0)
    assert out2.getvalue() == "" and len(httpserver.log) == len(alerts)


def test_failed_webhook_is_not_recorded_and_is_retried(marts, httpserver, tmp_path):
    state = tmp_path / "state.json"
    alerts = collect_alerts(marts)[:3]
    httpserver.expect_oneshot_request("/hook").respond_with_data("boom", status=500)
    httpserver.expect_request("/hook").respond_with_data("ok")
    sent, failed = send_alerts(alerts, io.StringIO(), state, httpserver.url_for("/hook"))
    assert (sent, failed) == (2, 1)
    assert alerts[0].alert_key not in json.loads(state.read_text())["sent"]
    assert send_alerts(alerts, io.StringIO(), state, httpserver.url_for("/hook")) == (1, 0)


def test_alerts_cli_deduplicates_across_runs(built_database, tmp_path):
    state = tmp_path / "state.json"
    first = run_cli("alerts", "--database", str(built_database), "--state-file", str(state))
    lines = first.stdout.splitlines()
    assert lines and all(json.loads(line)["alert_key"] for line in lines)
    second = run_cli("alerts", "--database", str(built_database), "--state-file", str(state))
    assert second.stdout == ""
    assert f"0 new, {len(lines)} already sent" in second.stderr


def test_enforcement_feed_blocks_hard_capped_key_and_team(marts, httpserver):
    feed = enforcement_feed(marts)
    key = next(k for k in feed["keys"] if k["key_alias"] == "deal-desk-agent-prod")
    assert key["blocked"] and key["max_budget"] == 30.0 and key["budget_duration"] == "30d"
    assert (
        key["key"]
        == marts.execute(
            "select account_id from main_reference.ai_finops__account_owners where provider = 'litellm' and account_name = 'deal-desk-agent-prod'"
        ).fetchone()[0]
    )
    teams = {t["team_id"]: t for t in feed["teams"]}
    assert teams["sales-engineering"]["blocked"] and teams["sales-engineering"]["max_budget"] == 60.0
    # a team under its budget but breaking a high-severity policy is flagged, not blocked
    assert teams["support-automation"]["blocked"] is False
    assert "pol-classifier-no-premium" in teams["support-automation"]["metadata"]["policy_violations"]
    assert "legal-ops" not in teams
    httpserver.expect_request("/key/update", method="POST", headers={"Authorization": "Bearer sk-test"}).respond_with_json({})
    httpserver.expect_request("/team/update", method="POST", headers={"Authorization": "Bearer sk-test"}).respond_with_json({})
    results = apply_feed(feed, httpserver.url_for("/"), "sk-test")
    assert all(status == 200 for _, status in results)
    bodies = {req.path: json.loads(req.get_data()) for req, _ in httpserver.log if req.path == "/key/update"}
    assert bodies["/key/update"]["key"] == key["key"]
    assert len(httpserver.log) == len(feed["keys"]) + len(feed["teams"])


def test_enforcement_feed_cli_dry_run(built_database):
    result = run_cli("enforcement-feed", "--database", str(built_database), "--dry-run")
    feed = json.loads(result.stdout)
    assert feed["dry_run"] is True and feed["keys"] and feed["teams"]
