"""Scripted conversations: a readable YAML format run against the live assistant.

A conversation names its trial (`trial: ID`, sent as the first message's metadata; the
default trial without it) and is a list of steps:
  - user: what the family types
    expect:
      question: SLOT | null     exactly one question marker for SLOT (null: none)
      kind / choices / confirms: of that marker
      choices_include: [..]     choices the marker holds among others
      text: [..]                substrings of the bot's text (case-insensitive)
      not_text: [..]            substrings that must not appear
      eligibility: {..} | null  the decision payload contains these values (null: no decision)
      handoff: true             a hand-off payload with the nurse line and a reference
  - walk: {SLOT: reply, ...}    answer each question by its marker until `until` (a checklist
                                gets the lines of its items whose replies are not a no)
    until: SLOT                 (a say-back, slot confirm, is answered "yes" unless the walk says)
    expect: {..}                what the walk's last reply holds (the one asking `until`)
Every reply must hold at least one text item and at most one question marker.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from harness.walks import reply_to

HERE = Path(__file__).resolve().parent
NURSE_PHONE = "0808 800 4040"


def load_conversations(folder: str = "scripts") -> List[Dict[str, Any]]:
    """Every conversation in the folder's files, each with the file it came from."""
    conversations = []
    for path in sorted((HERE / folder).glob("*.yml")):
        for conv in yaml.safe_load(path.read_text()):
            conv["file"] = path.name
            conversations.append(conv)
    return conversations


class Reply:
    def __init__(self, items: List[Dict[str, Any]]):
        self.items = items
        self.texts = [i["text"] for i in items if i.get("text")]
        self.customs = [i["custom"] for i in items if isinstance(i.get("custom"), dict)]
        self.questions = [c["question"] for c in self.customs if "question" in c]
        self.decisions = [c["eligibility"] for c in self.customs if "eligibility" in c]
        self.handoffs = [c["handoff"] for c in self.customs if "handoff" in c]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def question(self) -> Optional[Dict[str, Any]]:
        return self.questions[0] if self.questions else None

    def describe(self) -> str:
        return "\n".join(f"  {i}" for i in self.items)


def check_reply(reply: Reply, expect: Dict[str, Any], where: str) -> None:
    assert reply.texts, f"{where}: no text item\n{reply.describe()}"
    assert len(reply.questions) <= 1, f"{where}: {len(reply.questions)} question markers\n{reply.describe()}"
    if "question" in expect:
        want = expect["question"]
        got = reply.question["slot"] if reply.question else None
        assert got == want, f"{where}: question {got!r}, wanted {want!r}\n{reply.describe()}"
    for key in ("kind", "choices", "confirms"):
        if key in expect:
            assert reply.question and reply.question.get(key) == expect[key], f"{where}: {key}\n{reply.describe()}"
    for choice in _list(expect.get("choices_include")):
        assert reply.question and choice in reply.question["choices"], f"{where}: no choice {choice!r}\n{reply.describe()}"
    for needle in _list(expect.get("text")):
        assert needle.lower() in reply.text.lower(), f"{where}: text lacks {needle!r}\n{reply.describe()}"
    for needle in _list(expect.get("not_text")):
        assert needle.lower() not in reply.text.lower(), f"{where}: text has {needle!r}\n{reply.describe()}"
    if "eligibility" in expect:
        if expect["eligibility"] is None:
            assert not reply.decisions, f"{where}: unexpected decision\n{reply.describe()}"
        else:
            assert len(reply.decisions) == 1, f"{where}: {len(reply.decisions)} decisions\n{reply.describe()}"
            for key, value in expect["eligibility"].items():
                assert reply.decisions[0][key] == value, f"{where}: eligibility {key}\n{reply.describe()}"
    if expect.get("handoff"):
        assert len(reply.handoffs) == 1, f"{where}: no hand-off\n{reply.describe()}"
        handoff = reply.handoffs[0]
        assert handoff["phone"] == NURSE_PHONE and handoff["reference"].isalnum() and handoff["summary"]
    elif "handoff" in expect:
        assert not reply.handoffs, f"{where}: unexpected hand-off\n{reply.describe()}"


def _list(value: Any) -> List[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def run_conversation(assistant, sender: str, conv: Dict[str, Any]) -> List[Reply]:
    replies: List[Reply] = []
    for n, step in enumerate(conv["steps"], 1):
        if "walk" in step:
            walked = _walk(assistant, sender, step, replies, f"{conv['name']} step {n}")
            if step.get("expect"):
                assert walked, f"{conv['name']} step {n}: the walk answered nothing"
                check_reply(walked[-1], step["expect"], f"{conv['name']} step {n} (the walk's last reply)")
            replies += walked
            continue
        chosen = {"trial": conv["trial"]} if n == 1 and conv.get("trial") else None  # later messages need none
        reply = Reply(assistant.say(sender, str(step["user"]), metadata=chosen))
        check_reply(reply, step.get("expect") or {}, f"{conv['name']} step {n} ({step['user']!r})")
        replies.append(reply)
    return replies


def _walk(assistant, sender, step, replies, where) -> List[Reply]:
    answers: Dict[str, Any] = {k: str(v) for k, v in step["walk"].items()}
    until = step["until"]
    out: List[Reply] = []
    asked = set()
    pending = replies[-1].question if replies and replies[-1].question else None
    for _ in range(60):
        slot = pending["slot"] if pending else None
        if slot == until:
            return out
        if slot == "confirm" and "confirm" not in answers:
            reply = Reply(assistant.say(sender, "yes"))  # a say-back: the walk's answers are meant
            check_reply(reply, {}, f"{where} confirming")
            out.append(reply)
            pending = reply.question
            continue
        checklist = bool(pending) and pending.get("kind") == "checklist"
        assert slot in answers or checklist, \
            f"{where}: asked {slot!r}, which the walk has no answer for\n{(out or replies)[-1].describe()}"
        assert slot not in asked, f"{where}: {slot!r} asked twice"
        asked.add(slot)
        reply = Reply(assistant.say(sender, reply_to(pending, answers)))  # a checklist: the items not answered no
        check_reply(reply, {}, f"{where} answering {slot}")
        out.append(reply)
        pending = reply.question
    raise AssertionError(f"{where}: never reached {until!r}")
