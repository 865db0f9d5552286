"""Writes the demo company's ownership seeds (seeds/ownership/*.csv) from company.py."""

from __future__ import annotations

import csv
from pathlib import Path

from ai_finops.demo.company import BUSINESS_UNITS, COST_CENTERS, GATEWAY_UPSTREAM, TEAMS, WORKFLOWS, build_accounts


def seed_tables() -> dict[str, tuple[list[str], list[tuple]]]:
    owned = [a for a in build_accounts() if a.owner_team_id]
    return {
        "business_units": (["business_unit_id", "business_unit_name"], list(BUSINESS_UNITS)),
        "cost_centers": (["cost_center_id", "cost_center_name", "business_unit_id"], list(COST_CENTERS)),
        "teams": (["team_id", "team_name", "cost_center_id", "valid_from", "valid_to"], list(TEAMS)),
        "workflows": (
            ["workflow_id", "workflow_name", "team_id", "is_agent"],
            [(w.workflow_id, w.name, w.team_id, str(w.is_agent).lower()) for w in WORKFLOWS if w.team_id],
        ),
        "account_owners": (
            ["provider", "account_type", "account_id", "account_name", "team_id", "workflow_id", "valid_from", "valid_to"],
            sorted(
                (
                    a.provider,
                    a.account_type,
                    a.account_id,
                    a.parent_id if a.account_type == "gateway_key" else "",
                    a.owner_team_id,
                    a.owner_workflow_id,
                    a.valid_from,
                    a.valid_to,
                )
                for a in owned
            ),
        ),
        "gateway_upstream_accounts": (
            ["provider", "account_type", "account_id", "gateway_name"],
            [(p, kind, account_id, "litellm-prod") for p, (kind, account_id) in GATEWAY_UPSTREAM.items()],
        ),
    }


def render(header: list[str], rows: list[tuple]) -> str:
    from io import StringIO

    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_seeds(project_dir: Path) -> list[Path]:
    out = project_dir / "seeds" / "ownership"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (header, rows) in seed_tables().items():
        path = out / f"ai_finops__{name}.csv"
        path.write_text(render(header, rows))
        paths.append(path)
    return paths
