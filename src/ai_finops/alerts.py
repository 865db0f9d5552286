"""Governance alerts and the enforcement feed, read from the built marts.

`collect_alerts` turns the current budget status, the anomaly episodes and the policy violations
into alerts with a stable key; `send_alerts` prints the new ones as JSON lines, posts each to a
Slack-compatible webhook and records what was sent in a state file, so a re-run sends nothing
twice. `enforcement_feed` lists the keys and teams over a hard cap (and the teams breaking a
high-severity policy) as LiteLLM `/key/update` and `/team/update` bodies.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import duckdb

MARTS = "main_marts"
REFERENCE = "main_reference"
BUDGET_DURATION = {"monthly": "30d", "quarterly": "90d"}
GRAIN_WORD = {"hour": "hourly", "day": "daily"}


@dataclass
class Alert:
    alert_key: str  # what de-duplication remembers: one alert per key, ever
    kind: str  # budget | anomaly | policy | estimate
    severity: str
    title: str
    text: str
    owner_team_id: str | None
    amount: float | None
    currency: str
    details: dict = field(default_factory=dict)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _money(value: float | None, currency: str) -> str:
    return "n/a" if value is None else f"{currency} {value:,.2f}"


def budget_alerts(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    alerts = []
    for r in _rows(con, f"select * from {MARTS}.fct_budget_status_daily where is_latest order by budget_id"):
        period = r["period_start_date"].isoformat()
        base = f"budget:{r['budget_id']}:{period}"
        facts = {
            "budget_id": r["budget_id"],
            "scope_type": r["scope_type"],
            "scope_id": r["scope_id"],
            "period_start_date": period,
            "as_of_date": r["budget_date"].isoformat(),
            "spend_to_date": r["spend_to_date"],
            "budget_amount": r["budget_amount"],
            "projected_period_end_spend": r["projected_period_end_spend"],
            "projected_overrun_date": r["projected_overrun_date"].isoformat() if r["projected_overrun_date"] else None,
        }
        spent = f"{_money(r['spend_to_date'], r['currency'])} of {_money(r['budget_amount'], r['currency'])}"
        if r["budget_status"] == "hard_cap_breached":
            alerts.append(
                Alert(
                    f"{base}:hard_cap",
                    "budget",
                    "critical",
                    f"Hard cap breached: {r['budget_name']}",
                    f"{spent} spent; hard cap {_money(r['hard_cap_amount'], r['currency'])} (over since {r['overrun_date']}).",
                    r["owner_team_id"],
                    r["spend_to_date"],
                    r["currency"],
                    facts,
                )
            )
        if r["highest_threshold_crossed_pct"] is not None:
            pct = r["highest_threshold_crossed_pct"]
            alerts.append(
                Alert(
                    f"{base}:threshold:{pct:g}",
                    "budget",
                    "high" if pct >= 100 else "medium",
                    f"{r['budget_name']}: {pct:g}% of budget reached",
                    f"{spent} spent ({r['spend_pct_of_budget']:.0f}%).",
                    r["owner_team_id"],
                    r["spend_to_date"],
                    r["currency"],
                    facts,
                )
            )
        if r["budget_status"] == "warning":
            alerts.append(
                Alert(
                    f"{base}:projected_overrun",
                    "budget",
                    "medium",
                    f"{r['budget_name']}: projected to overrun on {r['projected_overrun_date']}",
                    f"{spent} spent; projected period end {_money(r['projected_period_end_spend'], r['currency'])}.",
                    r["owner_team_id"],
                    r["projected_period_end_spend"],
                    r["currency"],
                    facts,
                )
            )
    return alerts


def _requests(r: dict) -> str:
    if r["request_count"] is None or r["baseline_request_count"] is None:
        return ""
    return f" ({r['request_count']:,} requests vs ~{r['baseline_request_count']:,.0f} expected)"


def anomaly_alerts(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    alerts = []
    for r in _rows(con, f"select * from {MARTS}.fct_spend_anomalies order by started_at, granularity desc, scope_type, scope_id"):
        state = "ongoing" if r["is_ongoing"] else f"ended {r['ended_at']:%Y-%m-%d %H:%M}"
        loop = " (runaway loop signature)" if r["is_runaway_loop"] else ""
        alerts.append(
            Alert(
                f"anomaly:{r['anomaly_id']}",
                "anomaly",
                r["severity"],
                f"Spend anomaly{loop}: {r['scope_type']} {r['scope_id']} ({GRAIN_WORD[r['granularity']]})",
                f"From {r['started_at']:%Y-%m-%d %H:%M} UTC, {state}: {_money(r['excess_cost'], r['currency'])} above baseline "
                f"over {r['anomalous_periods']} {r['granularity']}(s){_requests(r)}.",
                r["owner_team_id"],
                r["excess_cost"],
                r["currency"],
                {
                    "anomaly_id": r["anomaly_id"],
                    "scope_type": r["scope_type"],
                    "scope_id": r["scope_id"],
                    "started_at": r["started_at"].isoformat(),
                    "ended_at": r["ended_at"].isoformat() if r["ended_at"] else None,
                    "granularity": r["granularity"],
                    "detection_period_at": r["detection_period_at"].isoformat(),
                    "excess_cost": r["excess_cost"],
                    "is_runaway_loop": r["is_runaway_loop"],
                },
            )
        )
    return alerts


def policy_alerts(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    """One alert per policy x team x workflow x month: a new month of the same violation alerts again."""
    sql = f"""
        select policy_id, policy_name, policy_type, severity, team_id, workflow_id,
               cast(date_trunc('month', usage_date) as date) as month_start_date,
               min(usage_date) as first_date, max(usage_date) as last_date,
               sum(request_count) as request_count, sum(contracted_cost) as contracted_cost, max(currency) as currency
        from {MARTS}.fct_policy_violations
        group by all
        order by month_start_date, policy_id, team_id, workflow_id
    """
    alerts = []
    for r in _rows(con, sql):
        month = r["month_start_date"].isoformat()
        requests = f"{int(r['request_count']):,} requests, " if r["request_count"] is not None else ""
        alerts.append(
            Alert(
                f"policy:{r['policy_id']}:{r['team_id']}:{r['workflow_id']}:{month}",
                "policy",
                r["severity"],
                f"Policy violated: {r['policy_name']}",
                f"{r['team_id']} / {r['workflow_id']} from {r['first_date']} to {r['last_date']}: "
                f"{requests}{_money(r['contracted_cost'], r['currency'])}.",
                r["team_id"],
                r["contracted_cost"],
                r["currency"],
                {
                    "policy_id": r["policy_id"],
                    "policy_type": r["policy_type"],
                    "team_id": r["team_id"],
                    "workflow_id": r["workflow_id"],
                    "month_start_date": month,
                    "contracted_cost": r["contracted_cost"],
                },
            )
        )
    return alerts


def estimate_alerts(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    """One alert per estimate x month running over its cost-impact estimate (fct_estimate_vs_actual_monthly)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = 'fct_estimate_vs_actual_monthly'",
        [MARTS],
    ).fetchone()[0]
    if not exists:
        return []
    sql = f"""
        select * from {MARTS}.fct_estimate_vs_actual_monthly
        where is_over_estimate
        order by estimate_month, estimate_id
    """
    alerts = []
    for r in _rows(con, sql):
        month = r["estimate_month"].isoformat()
        partial = "" if r["is_month_complete"] else " (month to date)"
        pct = r["contracted_cost_variance_pct"]
        over = "" if pct is None else f" ({pct:+.0f}%)"
        alerts.append(
            Alert(
                f"estimate:{r['estimate_id']}:{month}",
                "estimate",
                "warning",
                f"Running over its estimate: {r['workflow_id']}",
                f"{r['team_id']} / {r['workflow_id']} in {month[:7]}{partial}: actual "
                f"{_money(r['actual_contracted_cost'], r['currency'])} vs estimated "
                f"{_money(r['estimated_contracted_cost'], r['currency'])}{over}.",
                r["team_id"],
                r["contracted_cost_variance"],
                r["currency"],
                {
                    "estimate_id": r["estimate_id"],
                    "workflow_id": r["workflow_id"],
                    "estimate_month": month,
                    "actual_contracted_cost": r["actual_contracted_cost"],
                    "estimated_contracted_cost": r["estimated_contracted_cost"],
                },
            )
        )
    return alerts


def collect_alerts(con: duckdb.DuckDBPyConnection) -> list[Alert]:
    return budget_alerts(con) + anomaly_alerts(con) + policy_alerts(con) + estimate_alerts(con)


def slack_payload(alert: Alert) -> dict:
    """A Slack incoming-webhook message (also accepted by Mattermost and most chat webhooks)."""
    owner = alert.owner_team_id or "no owner"
    return {
        "text": f"[{alert.severity.upper()}] {alert.title}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*[{alert.severity.upper()}] {alert.title}*\n{alert.text}"}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"owner: {owner} · {alert.kind} · `{alert.alert_key}`"}]},
        ],
    }


def post_json(url: str, payload: dict, headers: dict | None = None, timeout: float = 10.0) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json", **(headers or {})}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the URL is the user's own webhook
        return response.status


def load_state(path: Path | None) -> dict:
    if path is None or not path.exists():
        return {"sent": {}}
    return json.loads(path.read_text())


def save_state(path: Path, state: dict) -> None:
    """Written to a temporary file then renamed: a crash never leaves a half-written state."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        json.dump(state, handle, indent=1, sort_keys=True)
    os.replace(tmp, path)


def send_alerts(
    alerts: Iterable[Alert], out: TextIO, state_file: Path | None = None, webhook: str | None = None, now: datetime | None = None
) -> tuple[int, int]:
    """Emit the alerts not sent before. Returns (sent, failed). An alert whose webhook post fails is not recorded."""
    state = load_state(state_file)
    sent_at = (now or datetime.now(UTC)).isoformat()
    sent = failed = 0
    for alert in alerts:
        if alert.alert_key in state["sent"]:
            continue
        if webhook:
            try:
                post_json(webhook, slack_payload(alert))
            except (urllib.error.URLError, OSError) as error:
                print(json.dumps({"alert_key": alert.alert_key, "webhook_error": str(error)}), file=sys.stderr)
                failed += 1
                continue
        out.write(json.dumps({**asdict(alert), "sent_at": sent_at}, default=str) + "\n")
        state["sent"][alert.alert_key] = sent_at
        sent += 1
        if state_file is not None:
            save_state(state_file, state)  # after each alert: an interrupted run resumes where it stopped
    return sent, failed


def enforcement_feed(con: duckdb.DuckDBPyConnection, policy_days: int = 7) -> dict:
    """LiteLLM key/team settings for what crossed a hard cap or broke a high-severity policy lately."""
    breached = _rows(
        con, f"select * from {MARTS}.fct_budget_status_daily where is_latest and budget_status = 'hard_cap_breached' order by budget_id"
    )
    key_hashes = {
        r["account_name"]: r["account_id"]
        for r in _rows(
            con,
            f"""select account_name, account_id from {REFERENCE}.ai_finops__account_owners
                where provider = 'litellm' and account_type = 'gateway_key' and account_name is not null""",
        )
    }
    keys, teams, unenforceable = [], [], []
    for r in breached:
        reason = (
            f"budget {r['budget_id']}: {r['currency']} {r['spend_to_date']:.2f} spent since {r['period_start_date']}, "
            f"hard cap {r['hard_cap_amount']:.2f}"
        )
        settings = {"max_budget": r["hard_cap_amount"], "budget_duration": BUDGET_DURATION.get(r["period_type"]), "blocked": True}
        if r["scope_type"] == "api_key" and (r["scope_id"] in key_hashes or r["scope_id"] in set(key_hashes.values())):
            keys.append(
                {
                    "key": key_hashes.get(r["scope_id"], r["scope_id"]),
                    "key_alias": r["scope_id"],
                    **settings,
                    "metadata": {"reason": reason},
                }
            )
        elif r["scope_type"] == "team":
            teams.append({"team_id": r["scope_id"], **settings, "metadata": {"reason": reason}})
        else:
            unenforceable.append({"scope_type": r["scope_type"], "scope_id": r["scope_id"], "reason": reason})
    violations = _rows(
        con,
        f"""select team_id, string_agg(distinct policy_id, ',' order by policy_id) as policy_ids, sum(contracted_cost) as contracted_cost
            from {MARTS}.fct_policy_violations
            where severity = 'high' and team_id <> 'unallocated'
              and usage_date > (select max(usage_date) from {MARTS}.fct_policy_violations) - ?::integer
            group by team_id order by team_id""",
        [policy_days],
    )
    capped = {t["team_id"] for t in teams}
    for v in violations:
        reason = f"high-severity policy violations in the last {policy_days} days: {v['policy_ids']} ({v['contracted_cost']:.2f})"
        if v["team_id"] in capped:
            next(t for t in teams if t["team_id"] == v["team_id"])["metadata"]["policy_violations"] = v["policy_ids"].split(",")
        else:
            # a policy breach is flagged to the gateway, not blocked: the owner must fix the workload
            teams.append(
                {"team_id": v["team_id"], "blocked": False, "metadata": {"reason": reason, "policy_violations": v["policy_ids"].split(",")}}
            )
    return {"generated_at": datetime.now(UTC).isoformat(), "keys": keys, "teams": teams, "unenforceable": unenforceable}


def apply_feed(feed: dict, litellm_url: str, master_key: str) -> list[tuple[str, int]]:
    """POST each setting to the LiteLLM proxy admin API (/key/update, /team/update)."""
    headers = {"Authorization": f"Bearer {master_key}"}
    base = litellm_url.rstrip("/")
    results = []
    for key in feed["keys"]:
        results.append((f"key {key['key_alias']}", post_json(f"{base}/key/update", key, headers)))
    for team in feed["teams"]:
        results.append((f"team {team['team_id']}", post_json(f"{base}/team/update", team, headers)))
    return results
