"""Paging through one admin endpoint: cursors, retries, and strict page validation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dlt.sources.helpers import requests as dlt_requests

from ai_finops.extract.providers import Endpoint, Provider


class ExtractError(RuntimeError):
    """A failure the user can act on; the message never contains the admin key."""


@dataclass(frozen=True)
class Page:
    number: int
    sha256: str
    buckets: list[dict[str, Any]]


def make_client(max_attempts: int = 6, backoff_factor: float = 1.0, max_delay: float = 60.0) -> dlt_requests.Client:
    """A session that retries 429 and 5xx (and dropped connections) with exponential backoff.

    dlt's client honours Retry-After when the server sends one and backs off 1, 2, 4... seconds otherwise.
    """
    return dlt_requests.Client(
        request_timeout=60,
        request_max_attempts=max_attempts,
        request_backoff_factor=backoff_factor,
        request_max_retry_delay=max_delay,
        respect_retry_after_header=True,
        raise_for_status=False,  # we raise ourselves, with a message that names the endpoint and page
    )


class Redactor:
    def __init__(self, secret: str):
        self.secret = secret

    def __call__(self, text: str) -> str:
        # Error bodies may echo the key (or part of it) back; never let it reach a log or a message.
        return text.replace(self.secret, "***") if self.secret else text


def fetch_pages(
    client: dlt_requests.Client,
    provider: Provider,
    endpoint: Endpoint,
    base_url: str,
    params: dict[str, Any],
    key: str,
) -> Iterator[Page]:
    """Yields validated pages in order, following `next_page` while `has_more` is true."""
    redact = Redactor(key)
    url = base_url.rstrip("/") + endpoint.path
    label = f"{provider.name} {endpoint.name}"
    cursor: str | None = None
    seen: set[str] = set()
    number = 0
    while True:
        number += 1
        query = {**params, **({"page": cursor} if cursor else {})}
        where = f"{label} page {number}"
        try:
            # No redirects: requests would forward a custom x-api-key header to another host.
            response = client.session.get(url, params=query, headers=provider.auth_headers(key), allow_redirects=False)
        except dlt_requests.RequestException as exc:
            raise ExtractError(f"{where}: request failed after retries: {redact(str(exc))}") from None
        if response.status_code != 200:
            raise ExtractError(f"{where}: HTTP {response.status_code} from {url}: {redact(response.text[:500])}")
        body = response.content
        page = parse_page(body, provider, where)
        yield Page(number, hashlib.sha256(body).hexdigest(), page["data"])
        if not page.get("has_more"):
            return
        cursor = page.get("next_page")
        if not isinstance(cursor, str) or not cursor:
            raise ExtractError(f"{where}: has_more is true but next_page is {cursor!r}")
        if cursor in seen:
            raise ExtractError(f"{where}: next_page cursor repeats an earlier one; stopping instead of looping")
        seen.add(cursor)


def parse_page(body: bytes, provider: Provider, where: str) -> dict[str, Any]:
    """The whole page is checked before any of it is used, so a bad page lands nothing."""
    try:
        page = json.loads(body)
    except ValueError as exc:
        raise ExtractError(f"{where}: response is not valid JSON ({exc}); nothing from this page was written") from None
    if not isinstance(page, dict) or not isinstance(page.get("data"), list):
        raise ExtractError(f"{where}: response has no `data` list; nothing from this page was written")
    for i, bucket in enumerate(page["data"]):
        if not isinstance(bucket, dict) or provider.start_key not in bucket or provider.end_key not in bucket:
            raise ExtractError(f"{where}: bucket {i} lacks {provider.start_key}/{provider.end_key}; nothing from this page was written")
        results = bucket.get("results", [])
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise ExtractError(f"{where}: bucket {i} has malformed `results`; nothing from this page was written")
        try:
            provider.parse_time(bucket[provider.start_key])
            provider.parse_time(bucket[provider.end_key])
        except (TypeError, ValueError, OverflowError):
            raise ExtractError(f"{where}: bucket {i} has unparsable bounds; nothing from this page was written") from None
    return page
