"""Hand-off records: what the nurse line sees of a family's hand-off, opened by its reference.

A record is written by the tracker store (`server/tracker_store.py`) when a turn makes a
hand-off, in the same database as the conversations (the SQLite file, or PostgreSQL with the
replicas), and deleted with its conversation: at "forget me", and after RETENTION_DAYS. Only
someone who can reach that database opens one: the nurse shell (`/handoff REF`) and
`make handoff REF=...` read it with the deployment's endpoints file and variables. Nothing
served to families (the REST channel, the page) reads this table.

    python -m store.handoffs REFERENCE [--endpoints endpoints.yml]    (make handoff REF=...)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional
from urllib.parse import urlsplit

import sqlalchemy as sa
import yaml

from conversation.prompts import FLOW_CHOICES
from conversation.summary import REFERENCE_ALPHABET, REFERENCE_LENGTH, summary_text
from eligibility.explain import long_date

from .retention import cutoff, retention_days

ROOT = Path(__file__).resolve().parent.parent

log = logging.getLogger(__name__)

NOT_FOUND = "No hand-off with that reference."  # missing, forgotten or expired alike: never a hint which
OPENINGS_LOG = "HANDOFF_LOG"  # where openings are logged (default logs/handoff-openings.log)

METADATA = sa.MetaData()
HANDOFFS = sa.Table(
    "handoffs", METADATA,
    sa.Column("reference", sa.String(16), primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),  # deleted with its conversation
    sa.Column("made_at", sa.Float, nullable=False, index=True),  # seconds since the epoch, as Rasa's events
    sa.Column("record", sa.Text, nullable=False),
)


def default_endpoints() -> List[str]:
    """The deployment's endpoints file, as `make run` picks it: $ENDPOINTS, else endpoints.yml."""
    return [os.environ.get("ENDPOINTS") or "endpoints.yml"]


def normalise(reference: str) -> str:
    """A reference as it was read out or typed ("k7mp 2qxr", "K7MP-2QXR") in its one form."""
    return re.sub(r"[\s\-_.]", "", reference or "").upper()


def well_formed(reference: str) -> bool:
    return len(reference) == REFERENCE_LENGTH and all(c in REFERENCE_ALPHABET for c in reference)


class Records:
    """The hand-off table in one database."""

    def __init__(self, engine: sa.engine.Engine, create: bool = False):
        self.engine = engine
        if create:
            METADATA.create_all(engine, checkfirst=True)

    def write(self, record: Mapping[str, Any], sender_id: str, made_at: float) -> None:
        """Keep a hand-off's record; made again in the same conversation, the newer one replaces it."""
        with self.engine.begin() as db:
            db.execute(HANDOFFS.delete().where(HANDOFFS.c.reference == record["reference"]))
            db.execute(HANDOFFS.insert().values(reference=record["reference"], sender_id=sender_id, made_at=made_at,
                                                record=json.dumps(record)))

    def read(self, reference: str, not_before: float) -> Optional[Dict[str, Any]]:
        """The record, with the time it was made; None if there is none made since `not_before`."""
        if not well_formed(reference) or not sa.inspect(self.engine).has_table(HANDOFFS.name):
            return None
        with self.engine.connect() as db:
            row = db.execute(sa.select(HANDOFFS.c.record, HANDOFFS.c.made_at)
                             .where(HANDOFFS.c.reference == reference, HANDOFFS.c.made_at >= not_before)).first()
        return {**json.loads(row.record), "made_at": row.made_at} if row else None

    def forget(self, sender_ids: Iterable[str]) -> int:
        senders = list(sender_ids)
        if not senders:
            return 0
        with self.engine.begin() as db:
            return db.execute(HANDOFFS.delete().where(HANDOFFS.c.sender_id.in_(senders))).rowcount

    def expire(self, before: float) -> int:
        with self.engine.begin() as db:
            return db.execute(HANDOFFS.delete().where(HANDOFFS.c.made_at < before)).rowcount


ENV_VAR = re.compile(r"\$\{(\w+)\}")


def _expand(value: Any) -> Any:
    """${VAR} in a value, from the environment, as Rasa expands its endpoints file; a variable
    that is not set stops here, naming it."""
    if not isinstance(value, str):
        return value

    def variable(m: re.Match) -> str:
        if m.group(1) not in os.environ:
            raise SystemExit(f"The endpoints file needs the variable {m.group(1)}, which is not set.")
        return os.environ[m.group(1)]
    return ENV_VAR.sub(variable, value)


def engine_from(endpoints: str) -> sa.engine.Engine:
    """The tracker store's database, from an endpoints file and the variables it names, read
    as Rasa reads them (without loading Rasa: a nurse's command answers in a moment)."""
    try:
        config = (yaml.safe_load(Path(endpoints).read_text(encoding="utf-8")) or {}).get("tracker_store")
    except OSError as err:
        raise SystemExit(f"{endpoints}: cannot be read ({err.strerror}).") from None
    if not isinstance(config, dict):
        raise SystemExit(f"{endpoints}: no tracker_store is configured there.")
    c = {k: _expand(v) for k, v in config.items()}
    dialect, host = c.get("dialect", "sqlite"), c.get("url")
    if host and "://" in str(host):  # a whole database URL in `url`, as Rasa allows
        return sa.create_engine(host)
    if dialect == "sqlite":
        return sa.create_engine(sa.engine.URL.create("sqlite", database=c.get("db", "rasa.db")))
    parsed = urlsplit(f"scheme://{host}") if host else None
    url = sa.engine.URL.create(dialect, username=c.get("username"), password=c.get("password"),
                               host=(parsed.hostname if parsed else None) or host,
                               port=int((parsed.port if parsed else None) or c.get("port") or 0) or None,
                               database=c.get("db"), query=c.get("query") or {})
    return sa.create_engine(url)


def in_words(record: Mapping[str, Any]) -> str:
    """The record as the nurse reads it: when, which trial, who was chatting, then the summary
    the family saw."""
    made = dt.datetime.fromtimestamp(record["made_at"], dt.timezone.utc)
    who = dict(FLOW_CHOICES["chatting_as"]).get(record.get("who") or "", "Not said")
    lines = [f"Hand-off {record['reference']}",
             f"Made: {long_date(made.date().isoformat())} at {made:%H:%M} UTC",
             f"Trial: {record['trial_name']} ({record['trial']})",
             f"Who was chatting: {who}",
             "What the family was shown:", summary_text(record)]
    return "\n".join(lines)


def open_reference(reference: str, endpoints: List[str], now: Optional[float] = None) -> str:
    """What the nurse sees for a reference: the record in words, or the one line. The opening is
    logged with the reference and the time, never the content."""
    ref = normalise(reference)
    record = None
    for path in endpoints:
        record = Records(engine_from(path)).read(ref, cutoff(retention_days(), now))
        if record:
            break
    _log_opening(ref, found=record is not None)
    return in_words(record) if record else NOT_FOUND


def _log_opening(reference: str, found: bool) -> None:
    shown = reference if well_formed(reference) else "(not a reference)"  # never echo arbitrary input
    line = f"{dt.datetime.now(dt.timezone.utc).isoformat(timespec='seconds')} hand-off {shown} opened: " \
           f"{'found' if found else 'none'}"
    path = Path(os.environ.get(OPENINGS_LOG) or ROOT / "logs" / "handoff-openings.log")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    log.info(line)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Open a family's hand-off by its reference (the nurse line's side).")
    parser.add_argument("reference")
    parser.add_argument("--endpoints", action="append",
                        help="the deployment's endpoints file (default: $ENDPOINTS or endpoints.yml); may be given twice")
    args = parser.parse_args(argv)
    text = open_reference(args.reference, args.endpoints or default_endpoints())
    print(text)
    return 0 if text != NOT_FOUND else 1


if __name__ == "__main__":
    sys.exit(main())
