"""A family's message read once: the part that may answer, the part that asks, and its signals.

"No, he hasn't. How long is he in hospital?" both answers and asks: the answer is
stored and the question answered. "His last lumbar puncture was clear" only
answers, so a word an FAQ topic uses in it never turns it into a question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .parsing import clean
from .signals import ASK_WHY, CORRECTION, keyword_intent

# A clause asks something when it ends with "?" or opens the way a question does.
# "when" is left out: "when he was 5" answers a date question; "which" asks only as "which one",
# "which is"... ("..., which he had for his first relapse" answers).
QUESTION_OPENING = re.compile(
    r"^(?:what|what'?s|whats|why|how|how'?s|where|who|which(?= (?:one|ones|is|are|was|were|of|do|does|did|would|should|will|type|kind|trial|drug|hospital)\b)|can (?:he|she|they|i|we|you|it)|could (?:he|she|they|i|we|you)|"
    r"will (?:he|she|they|i|we|it|you)|would (?:he|she|they|i|we|it|you)|should (?:he|she|they|i|we)|"
    r"is (?:it|there|this|that)|is (?!not\b)\w+(?: \w+)? not\b|are (?:there|they)|does (?:it|he|she|the|that|this)|do (?:i|we|they|you)|"
    r"did (?:you|they)|tell me|explain)\b")
# "ALL, I think?", "sort of?", "a pump for 28 days, was that it?": a hedge said as a question leans
# on the answer (which is then asked again); it asks nothing.
HEDGE_ALONE = re.compile(r"^(?:i think|i believe|i guess|i reckon|maybe|perhaps|probably|possibly|not sure|i'?m not sure|sort of|"
                         r"kind of|kinda|sorta)$|\b(?:(?:was|is) (?:that|this) it|might (?:have been|be) it|i think (?:that|it) (?:was|is|might))\b")
# Clauses end at ? ! ; and at . or , not followed by a digit ("10.5%", "1,000" stay whole).
CLAUSE_END = re.compile(r"(?<=[?!;])|(?<=[.,])(?!\d)")


@dataclass(frozen=True)
class Reading:
    text: str  # as typed
    clean: str  # lower case, one line (conversation.parsing.clean)
    answer: str  # the clauses that ask nothing, joined: what answer parsers read
    question: str  # the clauses that ask something
    keyword: Optional[str]  # the request a keyword names ("nurse", "start over", "why"...)
    correction: bool  # the message says it corrects ("sorry, I meant 11")

    @property
    def asks(self) -> bool:
        return bool(self.question)


def _normal(text: str) -> str:
    text = (text or "").replace("’", "'").replace("‘", "'").lower()
    return re.sub(r"\s+", " ", re.sub(r"[\u0000-\u001f\u007f]", " ", text)).strip()


def read(text: Optional[str]) -> Reading:
    normal = _normal(text or "")
    answer, question = [], []
    for part in CLAUSE_END.split(normal):
        body = part.strip(" .!?,;:")
        if not body:
            continue
        asking = (part.rstrip().endswith("?") and not HEDGE_ALONE.search(body)) or bool(QUESTION_OPENING.match(body) or ASK_WHY.search(body))
        (question if asking else answer).append(body)
    return Reading(text=text or "", clean=clean(text), answer=", ".join(answer), question=", ".join(question),
                   keyword=keyword_intent(text), correction=bool(CORRECTION.search(clean(text))))
