"""The SQL tracker store (SQLite by default, PostgreSQL by configuration) that can forget.

When a family says "forget me", the actions reset every slot and set `forget`;
on saving that turn this store deletes every stored event of the conversation
instead, so nothing they typed is kept.
"""
from __future__ import annotations

import logging

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

log = logging.getLogger(__name__)


class ForgetfulSQLTrackerStore(SQLTrackerStore):
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
