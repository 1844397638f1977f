"""The SQL tracker store (SQLite by default, PostgreSQL by configuration) that forgets.

- "Forget me": the actions reset every slot and set `forget`; on saving that turn this
  store deletes every stored event of the conversation instead, so nothing they typed is kept.
- Retention: a conversation untouched for RETENTION_DAYS (default 30) is deleted, when the
  store starts and then once a day, with the counts logged and never the content.
- Hand-offs: a turn that makes one keeps its record (`store/handoffs.py`) in the same
  database; it goes with its conversation, and after RETENTION_DAYS in any case.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Optional, Tuple

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func

from store.handoffs import Records
from store.retention import cutoff, retention_days

log = logging.getLogger(__name__)

PURGE_EVERY_S = 24 * 60 * 60
PURGE_BATCH = 500  # senders per DELETE: a long list of bound values stays within every database's limits


def handoff_made(tracker: DialogueStateTracker) -> Optional[Tuple[dict, float]]:
    """The hand-off record this turn made (its reference in the reply's hand-off payload, its
    content kept by the actions in the chat state), with the time it was made."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return None
        custom = event.data.get("custom") if isinstance(event, BotUttered) else None
        if isinstance(custom, dict) and isinstance(custom.get("handoff"), dict):
            record = (tracker.get_slot("chat") or {}).get("handoff")
            if isinstance(record, dict) and record.get("reference") == custom["handoff"].get("reference"):
                return record, event.timestamp
            return None
    return None


class ForgetfulSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.retention_days = retention_days()
        super().__init__(*args, **kwargs)
        self.records = Records(self.engine, create=True)
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
        made = handoff_made(tracker)
        if made:
            self.records.write(made[0], tracker.sender_id, made[1])
            log.info("hand-off record kept")

    async def forget(self, sender_id: str) -> None:
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        records = self.records.forget([sender_id])
        log.info("conversation forgotten on request (%d events, %d hand-off records deleted)", deleted, records)

    def purge_stale(self, now: Optional[float] = None) -> Tuple[int, int]:
        """Delete every conversation whose last event is older than the retention period, with
        its hand-off records, and any record older than that. Returns (conversations, events) deleted."""
        before = cutoff(self.retention_days, now)
        event = self.SQLEvent
        with self.session_scope() as session:
            stale = [row[0] for row in session.query(event.sender_id).group_by(event.sender_id)
                     .having(func.max(event.timestamp) < before)]
            events = 0
            for start in range(0, len(stale), PURGE_BATCH):
                batch = stale[start:start + PURGE_BATCH]
                events += session.query(event).filter(event.sender_id.in_(batch)).delete(synchronize_session=False)
            session.commit()
        records = self.records.forget(stale) + self.records.expire(before)
        log.info("retention: %d conversations untouched for %d days deleted (%d events, %d hand-off records)",
                 len(stale), self.retention_days, events, records)
        return len(stale), events
