"""Extractors for the OpenAI and Anthropic admin usage/cost APIs into the raw schema.

They land the same rows, with the same columns, as ``ai_finops.load`` does for the same pages
saved as files, so staging cannot tell an extraction from a file load.
"""

from ai_finops.extract.api import ExtractError
from ai_finops.extract.providers import PROVIDERS
from ai_finops.extract.run import extract

__all__ = ["PROVIDERS", "ExtractError", "extract"]
