"""What a message is about, beyond its answer: urgency, a trial question, a request.

Keyword rules back up the NLU model: a family who types "nurse" or "start over"
is understood even when the classifier is unsure.
"""
from __future__ import annotations

import re
from typing import Optional

from eligibility import Trial
from eligibility.explain import say

from .parsing import clean

MAX_LENGTH = 1000  # characters; longer messages are politely refused, nothing is stored from them

URGENT = re.compile(
    r"\b(fever|temperature|high temp|febrile|bleed\w*|blood (?:in|from)|nose ?bleed|bruis\w* all over|"
    r"can'?t breathe|cannot breathe|struggling to breathe|breathless\w*|not breathing|short of breath|breathing (?:problems?|difficult\w*|badly|fast)|"
    r"seizure|fit(?:ting)?\b|unconscious|collapsed|won'?t wake|unresponsive|emergency|999|ambulance|chest pain|very (?:ill|unwell|sick) now)\b")
NEGATED_URGENT = re.compile(r"\b(no|not|never|without|hasn'?t|hasn'?t had|doesn'?t have|no sign of)\s+(?:a\s+|any\s+)?(fever|temperature|bleed\w*)")

# A message that says it corrects an earlier answer.
CORRECTION_OPENING = r"^(?:sorry|oops|actually|wait|no wait|i meant|correction|my mistake|i made a mistake)"
CORRECTION = re.compile(CORRECTION_OPENING + r"\b|"
                        r"\bi meant\b|\bshould have said\b|\bnot \d+,? (?:but|it'?s)\b|\b(?:change|correct) (?:that|my|the)\b")

# A message that asks why, or says it does not follow.
ASK_WHY = re.compile(r"know what (?:that|this|it) means|what'?s that mean|don'?t understand|do not understand|what do you mean|i'?m confused|not clear|what does that mean|(?<!that's )(?<!thats )(?<!is )\bwhy\b|what(?:'s| is) (?:that|this) for|does (?:that|this|it) count|is that relevant|what does (?:that|it) matter|why does it matter|what for\b|reason for (?:asking|the question)")

# Requests that change the course of the conversation, by keyword.
KEYWORD_INTENTS = [
    ("forget_me", r"forget (?:me|us|everything|my|this)|delete (?:my|our|this|everything|the)|erase|remove (?:my|our) (?:data|details|answers)"),
    ("start_over", r"start (?:again|over|afresh)|restart|begin again|from the (?:start|beginning)|new check"),
    ("handoff", r"\b(?:speak|talk|chat) (?:to|with) (?:a |an |someone|somebody|a real|real|the|your)|real person|human|"
                r"^(?:a |the )?nurses?(?: please)?$|(?:want|need|like|get|give me) (?:a |the )?nurses?\b|nurse'?s? (?:number|line)|"
                r"call (?:someone|you)|phone number|helpline"),
    ("stop", r"^(?:stop|quit|exit|end|cancel|bye|goodbye|no more|leave it|enough)\b|i want to stop|stop (?:this|the|asking)|that'?s enough"),
    ("ask_why", ASK_WHY.pattern),
    ("complain", r"\b(stupid|useless|rubbish|ridiculous|waste of time|pointless|annoying|hate this|fed up|angry|furious|f+u+c+k\w*|shit\w*|crap)\b"),
    ("greet", r"^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))\b"),
    ("thank", r"^(?:thanks?|thank you|cheers|ta)\b"),
    ("correct", CORRECTION.pattern),
]


def too_long(text: Optional[str]) -> bool:
    return len(text or "") > MAX_LENGTH


def urgent(text: Optional[str]) -> bool:
    t = clean(text)
    return bool(URGENT.search(t)) and not NEGATED_URGENT.search(t)


def keyword_intent(text: Optional[str]) -> Optional[str]:
    t = clean(text)
    for intent, pattern in KEYWORD_INTENTS:
        if re.search(pattern, t):
            return intent
    return None


def faq_answer(trial: Trial, topic: str, who: str = "parent") -> str:
    """The trial file's answer for a FAQ topic id, in the words for who is chatting."""
    return say(next(e.answer for e in trial.faq if e.id == topic), who)


def faq_topic(trial: Trial, text: Optional[str]) -> Optional[str]:
    """The id of the FAQ entry a question is about, or None."""
    t = clean(text)
    for entry in trial.faq:
        if re.search(entry.keywords, t):
            return entry.id
    return None
