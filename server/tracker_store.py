"""The SQL tracker store (SQLite by default, PostgreSQL by configuration) that forgets.

- "Forget me": the actions reset every slot and set `forget`; on saving that turn this
  store deletes every stored event of the conversation instead, so nothing they typed is kept.
- Retention: a conversation untouched for RETENTION_DAYS (default 30) is deleted, when the
  store starts and then once a day, with the counts logged and never the content.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any, Optional, Tuple

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30
PURGE_EVERY_S = 24 * 60 * 60


def retention_days(value: Optional[str] = None) -> int:
    """RETENTION_DAYS as a whole number of days, at least 1; anything else stops start-up with a clear message."""
    raw = os.environ.get("RETENTION_DAYS", "") if value is None else value
    if raw.strip() == "":
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days < 1:
        raise SystemExit(f"RETENTION_DAYS must be a whole number of days, 1 or more (it is {raw!r}).")
    return days


class ForgetfulSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.retention_days = retention_days()
        super().__init__(*args, **kwargs)
        self.purge_stale()
        self._schedule_purge()

    def _schedule_purge(self) -> None:
        timer = threading.Timer(PURGE_EVERY_S, self._purge_and_reschedule)
        timer.daemon = True  # never keeps the server from stopping
        timer.start()

    def _purge_and_reschedule(self) -> None:
        try:
            self.purge_stale()
        except Exception as err:  # noqa: BLE001 - a failed purge is retried tomorrow, the server goes on
            log.error("retention purge failed: %s", type(err).__name__)
        self._schedule_purge()

    async def save(self, tracker: DialogueStateTracker) -> None:
        if tracker.get_slot("forget"):
            await self.forget(tracker.sender_id)
            return
        await super().save(tracker)

    async def forget(self, sender_id: str) -> None:
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        log.info("conversation forgotten on request (%d events deleted)", deleted)

    def purge_stale(self, now: Optional[float] = None) -> Tuple[int, int]:
        """Delete every conversation whose last event is older than the retention period.
        Returns (conversations, events) deleted."""
        cutoff = (now if now is not None else time.time()) - self.retention_days * 86400
        event = self.SQLEvent
        with self.session_scope() as session:
            stale = (session.query(event.sender_id).group_by(event.sender_id)
                     .having(func.max(event.timestamp) < cutoff).subquery())
            senders = session.query(func.count()).select_from(stale).scalar() or 0
            events = (session.query(event).filter(event.sender_id.in_(session.query(stale.c.sender_id)))
                      .delete(synchronize_session=False)) if senders else 0
            session.commit()
        log.info("retention: %d conversations untouched for %d days deleted (%d events)",
                 senders, self.retention_days, events)
        return senders, events
