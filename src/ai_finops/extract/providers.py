"""The admin usage/cost endpoints we extract, in the shapes of provider-formats.md 1.1-1.4 and 2.1-2.2."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Endpoint:
    name: str  # e.g. "usage_completions"; also the folder name the file loader reads
    path: str
    table: str  # raw table shared with load.py
    group_by: tuple[str, ...]
    limit: int  # the API's maximum number of 1d buckets per page


@dataclass(frozen=True)
class Provider:
    name: str
    key_env: str
    base_url_env: str
    default_base_url: str
    # The query parameters and the bucket keys have the same names in both APIs.
    start_key: str
    end_key: str
    format_time: Callable[[datetime], Any]
    parse_time: Callable[[Any], datetime]
    auth_headers: Callable[[str], dict[str, str]]
    endpoints: tuple[Endpoint, ...]


def _to_unix(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp())


def _from_unix(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)


def _to_rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_rfc3339(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


OPENAI = Provider(
    name="openai",
    key_env="OPENAI_ADMIN_KEY",
    base_url_env="OPENAI_ADMIN_BASE_URL",
    default_base_url="https://api.openai.com",
    start_key="start_time",
    end_key="end_time",
    format_time=_to_unix,
    parse_time=_from_unix,
    auth_headers=lambda key: {"Authorization": f"Bearer {key}"},
    endpoints=(
        Endpoint(
            "usage_completions",
            "/v1/organization/usage/completions",
            "openai_usage_completions",
            ("project_id", "api_key_id", "model", "batch", "service_tier"),
            31,
        ),
        Endpoint(
            "usage_embeddings",
            "/v1/organization/usage/embeddings",
            "openai_usage_embeddings",
            ("project_id", "api_key_id", "model"),
            31,
        ),
        # The non-token endpoints (provider-formats.md 1.3): same envelope, their own units and group-bys.
        Endpoint(
            "usage_images",
            "/v1/organization/usage/images",
            "openai_usage_images",
            ("project_id", "api_key_id", "model", "size", "source"),
            31,
        ),
        Endpoint(
            "usage_audio_speeches",
            "/v1/organization/usage/audio_speeches",
            "openai_usage_audio_speeches",
            ("project_id", "api_key_id", "model"),
            31,
        ),
        Endpoint(
            "usage_audio_transcriptions",
            "/v1/organization/usage/audio_transcriptions",
            "openai_usage_audio_transcriptions",
            ("project_id", "api_key_id", "model"),
            31,
        ),
        Endpoint(
            "usage_moderations", "/v1/organization/usage/moderations", "openai_usage_moderations", ("project_id", "api_key_id", "model"), 31
        ),
        Endpoint("usage_vector_stores", "/v1/organization/usage/vector_stores", "openai_usage_vector_stores", ("project_id",), 31),
        Endpoint(
            "usage_code_interpreter_sessions",
            "/v1/organization/usage/code_interpreter_sessions",
            "openai_usage_code_interpreter_sessions",
            ("project_id",),
            31,
        ),
        Endpoint(
            "usage_file_search_calls",
            "/v1/organization/usage/file_search_calls",
            "openai_usage_file_search_calls",
            ("project_id", "api_key_id", "vector_store_id"),
            31,
        ),
        Endpoint(
            "usage_web_search_calls",
            "/v1/organization/usage/web_search_calls",
            "openai_usage_web_search_calls",
            ("project_id", "api_key_id", "model", "context_level"),
            31,
        ),
        Endpoint("costs", "/v1/organization/costs", "openai_costs", ("project_id", "line_item"), 180),
    ),
)

ANTHROPIC = Provider(
    name="anthropic",
    key_env="ANTHROPIC_ADMIN_KEY",
    base_url_env="ANTHROPIC_ADMIN_BASE_URL",
    default_base_url="https://api.anthropic.com",
    start_key="starting_at",
    end_key="ending_at",
    format_time=_to_rfc3339,
    parse_time=_from_rfc3339,
    auth_headers=lambda key: {"x-api-key": key, "anthropic-version": "2023-06-01"},
    endpoints=(
        Endpoint(
            "usage_report_messages",
            "/v1/organizations/usage_report/messages",
            "anthropic_usage_report_messages",
            ("api_key_id", "workspace_id", "model", "service_tier", "context_window"),
            31,
        ),
        Endpoint("cost_report", "/v1/organizations/cost_report", "anthropic_cost_report", ("workspace_id", "description"), 31),
    ),
)

PROVIDERS = {p.name: p for p in (OPENAI, ANTHROPIC)}
