"""The chat's own wording, read from domain/chat.yml, for the places Rasa does not render it:
the REST channel's apology and the ask actions (which are sent no domain)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DOMAIN = Path(__file__).resolve().parent.parent / "domain" / "chat.yml"


@lru_cache(maxsize=None)
def domain_text(response: str) -> str:
    """The text of a response in domain/chat.yml that holds whoever is chatting (its variation without a condition)."""
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    return next(v["text"] for v in responses[response] if not v.get("condition"))
