"""Reading what people type: one parser per kind of answer, chosen from a table.

Each parser returns a value the engine accepts, or raises NotUnderstood with a
hint name (the chat turns the hint into a message from the domain). No Rasa here.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

UNKNOWN, NEVER = "unknown", "never"


class NotUnderstood(ValueError):
    """The text is not an answer of the expected kind; `hint` names what to say."""

    def __init__(self, hint: str, **detail: Any):
        super().__init__(hint)
        self.hint = hint
        self.detail = detail


def clean(text: Optional[str]) -> str:
    """Lower case, straight quotes, single spaces, no trailing punctuation."""
    text = (text or "").replace("’", "'").replace("‘", "'").lower()
    text = re.sub(r"[\u0000-\u001f\u007f]", " ", text)
    text = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", text)  # quote marks, not apostrophes: "they called it 'common all'"
    return re.sub(r"\s+", " ", text).strip(" .!?,;:")


def _any(patterns: Iterable[str]) -> re.Pattern:
    return re.compile(r"(?:^|\b)(?:" + "|".join(patterns) + r")(?:\b|$)")



# --- words that answer, read with negation ----------------------------------------

NEGATORS = {"not", "no", "never", "without", "neither", "nor", "cannot", "cant", "isnt", "wasnt", "hasnt",
            "havent", "hadnt", "doesnt", "dont", "didnt", "wont", "wouldnt", "arent", "werent", "aint", "nothing"}
NEGATION_REACH = 3  # words before a phrase that can negate it ("hasn't fully recovered")


def _negator(word: str) -> bool:
    return word in NEGATORS or word.endswith("n't")


def negated(t: str, start: int) -> bool:
    """A negation among the few words before `start`, in the same clause."""
    clause = re.split(r"[,;.!?]|\bbut\b", t[:start])[-1]
    return any(_negator(w) for w in clause.split()[-NEGATION_REACH:])


@lru_cache(maxsize=None)
def _phrase(pattern: str) -> re.Pattern:
    return re.compile(r"(?<![\w'])(?:" + pattern + r")(?![\w'])")


def phrase_matches(t: str, table: Mapping[Any, Sequence[str]]) -> List[Tuple[int, int, Any, bool]]:
    """(start, end, value, negated) for each phrase of `table` in a cleaned message.

    Longest phrases first and without overlap, so "no symptoms" is read before "no"
    and "hasn't recovered" before "recovered"; a phrase that is not itself a negation
    is negated when a negation stands just before it ("not recovered")."""
    found = []
    for value, patterns in table.items():
        for pattern in patterns:
            for m in _phrase(pattern).finditer(t):
                found.append((m.start() - m.end(), m.start(), m.end(), value))
    found.sort(key=lambda f: (f[0], f[1]))
    taken: List[Tuple[int, int, Any, bool]] = []
    for _, start, end, value in found:
        if any(start < e and s < end for s, e, _, _ in taken):
            continue
        words = t[start:end].split()
        taken.append((start, end, value, not (words and _negator(words[0])) and negated(t, start)))
    return taken


def phrase_hits(t: str, table: Mapping[Any, Sequence[str]]) -> Dict[Any, int]:
    """How many phrases of each value a cleaned message holds, negated ones left out."""
    hits: Dict[Any, int] = {}
    for _, _, value, is_negated in phrase_matches(t, table):
        if not is_negated:
            hits[value] = hits.get(value, 0) + 1
    return hits


def masked(t: str, spans: Iterable[Tuple[int, int, Any, bool]]) -> str:
    """The message with the matched phrases blanked out."""
    for start, end, _, _ in spans:
        t = t[:start] + " " * (end - start) + t[end:]
    return t


HEDGE = "hedge"  # a leaning the family should confirm ("I think so")
# Not knowing whether what they have counts ("not sure if that counts", "not sure if that was the
# blasts"): something is there to ask about, so it is asked again, never taken as "I don't know".
DOUBT = (r"(?:not sure|unsure|don'?t know|dont know|do not know|dunno|idk|no idea|(?:weren'?t|wasn'?t|aren'?t|isn'?t|not) "
         r"(?:sure|certain))(?: \w+){0,3}? (?:if|whether|what|how) (?:[\w']+ ){0,6}?(?:counts?|(?:you'?d |they'?d )?class(?:ed)?|"
         r"qualif\w*|(?:it|that|this) (?:was|is) (?:the|a|an|from|due|because))")

YES_NO_WORDS: Dict[Any, List[str]] = {
    True: [
        r"yes+", r"yeah", r"yea", r"yep", r"yup", r"ya", r"yah", r"yeh", r"ye", r"yh", r"yas", r"yse", r"ys", r"aye",
        r"sure", r"def", r"deffo",
        r"correct", r"that'?s (?:right|correct|true)", r"true", r"definitely", r"definately", r"definitly", r"defo",
        r"certainly", r"absolutely", r"of course", r"affirmative", r"indeed", r"(?:i'?m )?afraid so", r"sadly so",
        r"unfortunately so", r"(?:he|she|they|i|we|it) (?:has|have|did|does|do|is|are|was|were)(?: had(?: it| one| some| them| that)?)?(?=\s*(?:[,.;!]|$))",
        r"(?:he|she|they|i|we|it)(?:'s|'ve) had(?: it| one| some| them| that)?(?=\s*(?:[,.;!]|$))",
    ],
    False: [
        r"no+", r"nope", r"nah", r"na", r"naw", r"nae", r"nay", r"never", r"none", r"nothing", r"neither", r"negative", r"false",
        r"not", r"not at all", r"no way", r"no chance", r"not likely", r"unlikely", r"i doubt it",
        r"(?:of course|definitely|definately|absolutely|certainly|surely|defo|deffo|def|really|totally|sure|most definitely|"
        r"most certainly|thankfully|fortunately|hopefully|god|hell|oh|lord|good lord|heavens|goodness) (?:not|no|none|never|nothing)",
        r"(?:he|she|they|it|i|we) (?:hasn'?t|haven'?t|hadn'?t|didn'?t|doesn'?t|don'?t|isn'?t|aren'?t|wasn'?t|weren'?t|won'?t|wouldn'?t|hasnt|havent|didnt|doesnt|dont|isnt|wasnt|wont)",
        r"(?:he|she|they|it|i|we)(?:'s|'re|'ve| has| have| is| are| was| were| does| did| do) not",
        r"not that (?:i|we|anyone|anybody)(?:'m| am|'re| are| is)? (?:know|knows|aware)(?: of)?",
        r"not as far as (?:i|we|anyone) (?:know|knows|are aware|am aware)", r"not to (?:my|our) knowledge",
        r"(?:i|we) don'?t think so", r"don'?t think so", r"dont think so", r"not known to", r"not been told (?:so|that|of)",
        r"(?:no ?one|nobody) (?:has|'s|have) (?:said|told|mentioned)", r"no one said",
    ],
    UNKNOWN: [
        r"i don'?t know", r"i do not know", r"don'?t (?:even |really )?know", r"dont know", r"do not know", r"dunno", r"idk",
        r"dk", r"skip", r"none of your business", r"i'?d rather not", r"ask (?:his|her|their) (?:mum|mam|dad|father|mother)",
        r"not sure", r"unsure", r"no idea", r"can'?t remember", r"cannot remember", r"don'?t remember",
        r"not certain", r"i'?d have to ask", r"have to check", r"need to check", r"would need to check",
        r"ask (?:the|his|her|their|my|our) (?:doctor|consultant|team|nurse)", r"no clue", r"haven'?t a clue",
        r"not known", r"unknown", r"rather not say", r"prefer not to say",
        r"no ide?a", r"not that sure", r"(?:i|we|you)(?:'?d| would)? (?:have|need) to ask", r"have to ask",
        r"(?:couldn'?t|can'?t|cannot) say", r"waiting (?:on|for)(?: the)? (?:results?|tests?|scans?|\w+ results?)",
        r"waiting (?:on|for|to hear)", r"results? (?:are )?(?:due|tomorrow|next week|on \w+day)", r"get the results?",
        r"(?:we'?ll|we will) find out", r"rather not (?:answer|say)", r"prefer not to", r"not back yet",
        r"(?:aren'?t|isn'?t|haven'?t|hasn'?t|not) (?:come )?back yet", r"still waiting", r"(?:not|never) (?:been )?(?:tested|checked)",
        r"(?:(?:he|she|they|we|i|it)(?:'re|'s| are| is| was| were)? )?(?:weren'?t|wasn'?t|aren'?t|isn'?t|not) (?:sure|certain)",
        r"not a clue", r"can'?t tell (?:what|which|if|whether)", r"(?:haven'?t|have not|hasn'?t|has not|weren'?t|wasn'?t|not) (?:been )?told(?: yet)?",
        r"(?:they|the doctors?|doctors|the team)(?:'ve| have|'s| has)? (?:haven'?t|hasn'?t|not) said(?: yet)?", r"(?:still )?pending",
        r"(?:won'?t|will not) know", r"(?:don'?t|do not|didn'?t) recogni[sz]e",
        r"(?:have|need) to (?:ask|check)(?: (?:with )?(?:the|his|her|their|my|our) \w+)?(?: to (?:be sure|check|make sure|confirm))?",
        r"(?:doing|having|repeating|booked (?:in )?for|going for) (?:a|an|the|another) (?:\w+ ){0,2}(?:on \w+ |next week |tomorrow |this week )?"
        r"to (?:check|see|find out|confirm|be sure)",
        r"(?:they'?re|they are|doctors are|we'?re|we are|the doctors are) (?:checking|investigating|looking into|testing|scanning)", r"until (?:the |this week'?s |\w+'?s )?(?:bloods?|results?|tests?|scans?) (?:come|are|get) back",
        r"still being (?:worked out|investigated|looked (?:at|into)|decided|confirmed|checked)",
        r"(?:(?:they'?re|they are|we'?re|we are|the doctors are) )?(?:still )?(?:doing|running|waiting on|waiting for|repeating) "
        r"(?:more |some |the |a |another )?tests",
        r"(?:never|didn'?t|did not|haven'?t|have not) (?:given|gave|give|told|tell) (?:us |me )?(?:a|the|any|an exact) "
        r"(?:percentage|number|figure|score|date)",
        r"(?:nobody|no one|no-one) (?:tells|told|has told|tell) (?:us|me) (?:anything|much)",
        r"(?:don'?t|do not) have (?:the|his|her|their|my) (?:notes|letters?|paperwork|records?|details)(?: (?:to hand|with me|here|on me))?",
        r"(?:haven'?t|hasn'?t|not) (?:had|got|heard|received) (?:anything|any news|(?:the |\w+'?s )?(?:results?|bloods?|counts?))"
        r"(?: back)?(?: yet)?",
    ],
    HEDGE: [
        DOUBT, r"(?:was|is) (?:that|this) it",
        r"(?:can'?t|cannot|don'?t|do not) (?:remember|recall|know) exactly", r"not sure exactly", r"(?:i )?think so", r"(?:i )?reckon so", r"(?:i )?believe so", r"(?:i )?guess so", r"(?:i )?suppose so", r"(?:i )?assume so",
        r"probably(?: not)?", r"likely", r"i think (?:he|she|they|it|we) (?:has|have|did|is|are|does|was)",
        r"might (?:have|be|not)", r"could be", r"sort of", r"kind of", r"kinda", r"i think not",
        r"i think(?= it'?s| its| it is|\s*[?!.]*$)",  # "ALL, I think?", "I think it's ALL"
        r"(?:i'?d|i would|we'?d|we would)? ?hope (?:not|so)", r"some days", r"on and off", r"partly", r"partially",
        r"a bit of both", r"both(?=\s*(?:$|[,.;!?]|of\b|really\b|i think\b|ways\b|yes\b|no\b))", r"not really", r"(?:ok|okay|fine|good|alright|normal|well)[\s-]?ish", r"whatever that means", r"mostly", r"some days (?:yes|no|good|bad|fine|ok)", r"maybe", r"perhaps", r"possibly", r"some (?:are|were|of them)",
    ],
}

# "I don't know" in any answer: the same words the yes/no reading takes as unknown.
SAYS_DONT_KNOW = re.compile(r"(?<![\w'])(?:" + "|".join(YES_NO_WORDS[UNKNOWN]) + r")(?![\w'])")
DOUBTS = _phrase(DOUBT)


def says_dont_know(t: str) -> bool:
    """The family does not know the answer (not: wonders whether what they know counts)."""
    return bool(SAYS_DONT_KNOW.search(t)) and not DOUBTS.search(t)

# Said to the questions that steer the chat (carry on? talk to a nurse? is that right?).
FLOW_WORDS: Dict[Any, List[str]] = {
    True: [r"ok", r"okay", r"alright", r"all right", r"fine", r"go on", r"go ahead", r"carry on", r"continue",
           r"please", r"let'?s go", r"let'?s do it", r"why not", r"sounds good", r"that'?s right", r"right"],
    False: [r"no thanks?", r"no thank you", r"not now", r"not today", r"don'?t want", r"leave it"],
}

JUNK = re.compile(r"[<>{}\[\]\\|`$%^*=~#@]")


# Words that put what follows in place of what came before ("at first they said B-ALL, but then
# it turned out to be mixed", "she had acute GVHD but it's all gone now").
REVISION = re.compile(r"\b(?:but then|but later|but actually|turned out|(?:was|is|it'?s|its) actually|in the end|"
                      r"but(?=[^.;]*\b(?:now|yet|this (?:week|time))\b))\b")

BUT = re.compile(r"\bbut\b")


def revised(t: str, matches: Sequence[Tuple[int, int, Any, bool]], marker: re.Pattern = REVISION,
            later: Optional[Sequence[Tuple[int, int, Any, bool]]] = None) -> Any:
    """The one value said after words that revise what was said before (`later`: only these
    matches count after them), when it differs from it."""
    turn = marker.search(t)
    if not turn:
        return None
    before = {value for start, end, value, negated in matches if not negated and end <= turn.start()}
    after = {value for start, end, value, negated in (matches if later is None else later) if not negated and start >= turn.end()}
    return after.pop() if len(after) == 1 and before and not before & after else None


def parse_yes_no(text: str, words: Optional[Mapping[Any, Sequence[str]]] = None, flow: bool = False, **_: Any) -> Any:
    """True, False or "unknown". A reply that says both, leans without saying ("I think so")
    or holds no answer at all raises NotUnderstood, so the question is asked again.

    `words` adds a question's own phrases ("bloods were fine"); `flow` the words that
    answer the chat's own questions ("ok", "carry on")."""
    t = clean(text)
    if t in ("y", "n"):  # a single letter counts only as the whole message: "%n" is not "no"
        return t == "y"
    if not t or JUNK.search(t):
        raise NotUnderstood("yes_no")
    table = {value: list(patterns) for value, patterns in YES_NO_WORDS.items()}
    for extra in (words or {}, FLOW_WORDS if flow else {}):
        for value, patterns in extra.items():
            table[value] = list(patterns) + table[value]
    matches = [m for m in phrase_matches(t, table) if not m[3]]
    hits = {value for _, _, value, _ in matches}
    said = {v for v in (True, False) if v in hits}
    if UNKNOWN in hits and min(m[0] for m in matches if m[2] == UNKNOWN) < min((m[0] for m in matches if m[2] in said or m[2] == HEDGE),
                                                                               default=len(t)):
        return UNKNOWN  # "not sure, he doesn't tell me": they lead with not knowing
    if HEDGE not in hits and UNKNOWN in hits and said and revised(t, matches) == UNKNOWN:
        return UNKNOWN  # "good last month, but nothing heard about this week's yet"
    if HEDGE in hits or (UNKNOWN in hits and said):
        raise NotUnderstood("yes_no_hedge")
    if len(said) == 2 and revised(t, matches) is not None:
        return revised(t, matches)  # "they mentioned Burkitt at first, but then said it wasn't"
    own = [m for m in phrase_matches(t, words or {}) if m[2] in said]
    if len(said) == 2 and revised(t, matches, BUT, own) is not None:
        return revised(t, matches, BUT, own)  # "yes, but inhaled": the question's own words qualify a plain yes
    if len(said) == 2:
        raise NotUnderstood("yes_no_both")
    if said:
        return said.pop()
    if UNKNOWN in hits:
        return UNKNOWN
    raise NotUnderstood("yes_no")


# --- numbers -------------------------------------------------------------------

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
TYPO_FIXES = {"fourty": "forty", "fiveteen": "fifteen", "ninty": "ninety", "tweleve": "twelve", "eigth": "eight",
              "seventeeen": "seventeen", "sixtey": "sixty", "twentey": "twenty", "tirty": "thirty", "a hundred": "one hundred"}


def words_to_digits(text: str) -> str:
    """'about forty five percent' -> 'about 45 percent'."""
    for typo, word in TYPO_FIXES.items():
        text = re.sub(rf"\b{typo}\b", word, text)
    text = text.replace("half", "50") if re.search(r"\b(about|around|roughly)? ?half\b", text) else text
    text = re.sub(r"\bthree quarters\b", "75", re.sub(r"\b(?:a|one) quarter(?= of\b)", "25", text))

    def number(match: re.Match) -> str:
        words = re.split(r"[\s-]+", match.group(0).strip())
        total = 0
        for w in words:
            if w == "hundred":
                total = (total or 1) * 100
            elif w in TENS:
                total += TENS[w]
            elif w in UNITS:
                total += UNITS[w]
        return str(total)

    # "the wee one's 5", "the last one": "one" names a person or a thing there, not a number.
    text = re.sub(r"\b((?:wee|little|the|this|that|last|first|each|every|any|some|no|young|older|youngest|eldest) one)\b|\bone(?='s)",
                  lambda m: m.group(0).replace("one", "0ne"), text)
    word = "|".join(list(UNITS) + list(TENS) + ["hundred"])
    return re.sub(rf"\b(?:(?:{word})(?:[\s-]+(?:and[\s-]+)?)?)+\b", lambda m: number(m) + " ", text).strip().replace("0ne", "one")


NUMBER = re.compile(r"(?<![\w.])(-?\d+(?:[.,]\d+)?)(?![\d])")  # "m3", "cns2" are names, not numbers


def numbers_in(text: str) -> List[float]:
    return [float(n.replace(",", ".")) for n in NUMBER.findall(words_to_digits(clean(text)))]


LATEST = re.compile(r"(?:latest|most recent|recent|last one|last test|now|currently|came down to|went down to|down to|"
                    r"dropped to|fell to|rose to|went up to)\D{0,20}?(\d+(?:[.,]\d+)?)|"
                    r"(\d+(?:[.,]\d+)?)\s*(?:%|percent)?\s*(?:on|in|at|from) (?:the|his|her|their) (?:latest|last|most recent)")
# Words that mark the figure of their own clause as the latest ("the one last week was 20").
LATEST_MARK = re.compile(r"\b(?:latest|most recent(?:ly)?|recent(?:ly)?|last (?:one|test|time|week|month|marrow|bone marrow|result|"
                         r"check|aspirate)|this (?:time|week|month|one)|the one (?:last|this)|now|currently|at the moment|"
                         r"today|yesterday)\b")
FIGURE_CLAUSES = re.compile(r"[;!?]|[.,](?!\d)|\b(?:but|and|while|whereas)\b")


def latest(digits: str) -> Optional[float]:
    """The figure a message marks as the latest, when it gives several ("90% at relapse, 12% now"):
    the one figure of the one clause that says "now", "last week", "this time"...; else none,
    and the message is asked about, never its first figure taken."""
    if len(set(NUMBER.findall(digits))) < 2:
        return None
    marked = [set(NUMBER.findall(c)) for c in FIGURE_CLAUSES.split(digits) if NUMBER.search(c) and LATEST_MARK.search(c)]
    if len(marked) == 1 and len(marked[0]) == 1:
        return float(marked[0].pop().replace(",", "."))
    m = LATEST.search(digits)
    return float((m.group(1) or m.group(2)).replace(",", ".")) if m else None


def parse_number(text: str, low: float = 0, high: float = 100, **_: Any) -> Any:
    t = clean(text)
    digits = words_to_digits(t)
    if re.search(r"\bno (?:blasts?|leuka?emia|cells)\b|\bnone\b|\bnil\b", t) and not re.search(r"\d\s*(?:%|percent)", digits):
        return 0
    found = numbers_in(t)
    if not found:
        if says_dont_know(t):
            return UNKNOWN
        raise NotUnderstood("number")
    if DOUBTS.search(t):
        raise NotUnderstood("number_exact")  # "the number 3, not sure if that was the blasts"
    percents = [float(n.replace(",", ".")) for n in re.findall(r"(\d+(?:[.,]\d+)?)\s*(?:%|percent|per cent|pc)", digits)]
    moved = re.search(r"\bfrom \d+(?:[.,]\d+)?\s*%?\s*(?:\w+ ){0,2}to (\d+(?:[.,]\d+)?)", digits)
    if moved:  # "went from 90 down to 20": the latest figure
        value = float(moved.group(1).replace(",", "."))
    elif latest(digits) is not None:
        value = latest(digits)
    elif re.search(r"(?:\b(?:over|more than|above|greater than|at least|under|less than|below|fewer than|up to)\s+|[<>≤≥~]\s*)\d", digits) \
            or re.search(r"\d\s*%?\s*(?:-|to|or|and)\s*\d", digits) or len(set(percents or found)) > 1:
        raise NotUnderstood("number_exact")  # a bound or a range is not the figure; never guess one
    else:
        value = (percents or found)[0]
    if value < low or value > high:
        raise NotUnderstood("number_range", low=low, high=high)
    return int(value) if value == int(value) else value


def parse_number_within(text: str, spec: Any) -> Any:
    """A number within an answer key's bounds (its `min` and `max`; 0 to 100 when not given)."""
    return parse_number(text, spec.min if spec.min is not None else 0, spec.max if spec.max is not None else 100)


# --- choices -------------------------------------------------------------------

def parse_choice(text: str, choices: Sequence[Tuple[str, Sequence[str]]] = (), **_: Any) -> Any:
    """One of `choices` (value, the words families use for it), read with negation.

    A reply whose words point at no choice, or at more than one, raises
    NotUnderstood("choice_closest"): the family is shown the choices, never guessed for."""
    t = clean(text)
    for value, _words in choices:  # the exact strings offered as buttons are accepted verbatim
        if t == value.lower() or t == value.lower().replace("_", " "):
            return value
    matches = [m for m in phrase_matches(t, {value: words for value, words in choices}) if not m[3]]
    hits = {value for _, _, value, _ in matches}
    plain = [m for m in phrase_matches(masked(t, matches), {v: YES_NO_WORDS[v] for v in (True, False, HEDGE, UNKNOWN)}) if not m[3]]
    said = {value for _, _, value, _ in plain}
    if UNKNOWN in said and HEDGE not in said and min(m[0] for m in plain if m[2] == UNKNOWN) < min((m[0] for m in matches), default=len(t)):
        return UNKNOWN  # "not sure yet if it's ALL or mixed": they lead with not knowing
    if len(hits) > 1 and revised(t, matches) is not None:
        hits = {revised(t, matches)}
    if len(hits) == 1 and HEDGE not in said and UNKNOWN not in said and len(said) < 2:
        return next(iter(hits))
    if not hits:
        try:
            plain = parse_yes_no(t)
        except NotUnderstood:
            plain = None
        says_no = [value for value, words in choices if "no" in words]
        if plain is False and len(says_no) == 1:  # "not to my knowledge", "naw": the choice that says no
            return says_no[0]
        if plain == UNKNOWN:
            return UNKNOWN
    raise NotUnderstood("choice_closest" if hits or t else "choice", two_ways=len(hits) > 1)


def parse_performance(text: str, levels: Sequence[Tuple[int, str]], words: Optional[Mapping[int, Sequence[str]]] = None,
                      **_: Any) -> Any:
    """A score in tens, or one of the plain descriptions of the child's day. `words` are the
    phrases families use for a level, from the trial file: a phrase said outright names its
    level; several levels said ("plays normally, just can't keep up in rough games") are
    the lowest of them, the limit that describes the day. Otherwise the words count as if
    in the level's description, and the description sharing the most words wins."""
    t = clean(text)
    for score, description in levels:
        if t == clean(description):
            return score
    if says_dont_know(t):
        return UNKNOWN
    found = numbers_in(t)
    if len(set(found)) > 1:
        raise NotUnderstood("performance")  # "between 60 and 70": which is closest?
    if found:
        score = found[0]
        if score < 0 or score > 100 or score % 10:
            raise NotUnderstood("performance_range")
        return int(score)
    named = phrase_hits(t, {score: (words or {}).get(score, []) for score, _ in levels})
    if named:
        return min(named)
    # The description sharing the most words with what was typed, if clearly ahead;
    # negated words say what the child is not ("not fully active"), so they do not count.
    tokens = re.findall(r"[a-z']+", t)
    vocabulary = {s: clean(" ".join([d, *(words or {}).get(s, [])])) for s, d in levels}
    said = {_stem(w) for i, w in enumerate(tokens)
            if w not in STOPWORDS and not any(_negator(x) for x in tokens[max(0, i - NEGATION_REACH):i])}
    scored = sorted(((len(said & {_stem(w) for w in re.findall(r"[a-z']+", vocabulary[s]) if w not in STOPWORDS}), s)
                     for s, _ in levels), reverse=True)
    if scored and scored[0][0] >= 2 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    raise NotUnderstood("performance")


def _stem(word: str) -> str:
    """A crude stem, enough for "tired" to meet "tires" and "quicker" to meet "quickly"."""
    return word[:4]


STOPWORDS = {"a", "an", "the", "and", "but", "or", "of", "to", "in", "on", "is", "he", "she", "they", "it", "i",
             "my", "his", "her", "their", "for", "with", "at", "be", "very", "most", "days", "day", "just", "really",
             "get", "gets", "got"}  # "plays but gets tired" shares no meaning with "gets dressed"


# Dates and ages are read in their own module (conversation.dates); named here too, with every other reader.
from .dates import parse_age_or_birth, parse_date, says_never_had, times_in  # noqa: E402,F401
