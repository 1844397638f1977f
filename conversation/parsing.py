"""Reading what people type: one parser per kind of answer, chosen from a table.

Each parser returns a value the engine accepts, or raises NotUnderstood with a
hint name (the chat turns the hint into a message from the domain). No Rasa here.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

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
    return re.sub(r"\s+", " ", text).strip(" .!?,;:")


def _any(patterns: Iterable[str]) -> re.Pattern:
    return re.compile(r"(?:^|\b)(?:" + "|".join(patterns) + r")(?:\b|$)")


DONT_KNOW = _any([
    r"i don'?t know", r"i do not know", r"don'?t know", r"dont know", r"do not know", r"dunno", r"idk",
    r"not sure", r"unsure", r"no idea", r"can'?t remember", r"cannot remember", r"don'?t remember",
    r"not certain", r"i'?d have to ask", r"have to check", r"need to check", r"ask (?:the|his|her|their|my) doctor",
    r"no clue", r"haven'?t a clue", r"not known", r"unknown", r"skip", r"rather not say", r"prefer not to say",
    r"i don'?t kn?ow", r"i dont kn?ow", r"dk", r"maybe", r"possibly", r"perhaps", r"no ide?a",
])

YES = _any([
    r"yes", r"yeah", r"yea", r"yep", r"yup", r"ya", r"yess+", r"yse", r"ys", r"y", r"aye", r"sure", r"correct",
    r"right", r"true", r"definitely", r"definately", r"definitly", r"defo", r"ye", r"yeh", r"yas", r"certainly", r"of course", r"affirmative", r"ok", r"okay", r"i think so",
    r"(?:he|she|they|it|i) (?:has|have|did|does|do|is|are|was|were|will|would)(?!n'?t| not)",
    r"he'?s had", r"she'?s had", r"they'?ve had", r"i'?ve had", r"already", r"carry on", r"go on", r"continue",
])

NO = _any([
    r"no", r"nope", r"nah", r"noo+", r"n", r"not really", r"not at all", r"none", r"never", r"nothing",
    r"negative", r"false", r"(?:he|she|they|it|i) (?:hasn'?t|haven'?t|didn'?t|doesn'?t|don'?t|isn'?t|aren'?t|wasn'?t|won'?t|wouldn'?t)",
    r"(?:he|she|they|it|i) (?:has|have|did|does|do|is|are|was) not", r"not that (?:i|we) know", r"no way",
])


def parse_yes_no(text: str, **_: Any) -> Any:
    t = clean(text)
    if DONT_KNOW.search(t):
        return UNKNOWN
    no, yes = bool(NO.search(t)), bool(YES.search(t))
    if no and not yes:
        return False
    if yes and not no:
        return True
    if yes and no and re.match(r"(no|nope|nah)\b", t):
        return False
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

    word = "|".join(list(UNITS) + list(TENS) + ["hundred"])
    return re.sub(rf"\b(?:(?:{word})(?:[\s-]+(?:and[\s-]+)?)?)+\b", lambda m: number(m) + " ", text).strip()


NUMBER = re.compile(r"(?<![\d.])(-?\d+(?:[.,]\d+)?)(?![\d])")


def numbers_in(text: str) -> List[float]:
    return [float(n.replace(",", ".")) for n in NUMBER.findall(words_to_digits(clean(text)))]


def parse_number(text: str, low: float = 0, high: float = 100, **_: Any) -> Any:
    t = clean(text)
    if DONT_KNOW.search(t):
        return UNKNOWN
    found = numbers_in(t)
    if not found:
        raise NotUnderstood("number")
    value = found[0]
    if len(found) > 1 and re.search(r"\d+\s*(?:-|to|or)\s*\d+", words_to_digits(t)):
        value = max(found[:2])  # "30 to 40%": the higher end, the trial team checks the exact figure
    if value < low or value > high:
        raise NotUnderstood("number_range", low=low, high=high)
    return int(value) if value == int(value) else value


def parse_percent(text: str, **_: Any) -> Any:
    return parse_number(text, 0, 100)


# --- dates ---------------------------------------------------------------------

NEVER_WORDS = _any([
    r"never", r"no", r"none", r"nope", r"not had", r"hasn'?t had", r"haven'?t had", r"has not had", r"have not had",
    r"didn'?t have", r"did not have", r"not ever", r"n/a", r"not applicable", r"he hasn'?t", r"she hasn'?t",
])
MONTHS = "january february march april may june july august september october november december".split()
AGO = re.compile(r"\b(\d+|a|an|one|a couple of|a few)\s*(day|week|fortnight|month|year|wk|mth|mo|yr|d)s?\s*(?:ago|back|before)\b")
UNIT_NAMES = {"wk": "week", "mth": "month", "mo": "month", "yr": "year", "d": "day"}
VAGUE = re.compile(r"\b(few|several|some|couple|a while|recently|ages|long time|while back|not long)\b")


def _clamp(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


def _ago(t: str, today: dt.date) -> Optional[dt.date]:
    from dateutil.relativedelta import relativedelta

    m = AGO.search(t)
    if not m:
        return None
    n_text, unit = m.group(1), UNIT_NAMES.get(m.group(2), m.group(2))
    if n_text in ("a few",):
        raise NotUnderstood("date_vague")
    n = {"a": 1, "an": 1, "one": 1, "a couple of": 2}.get(n_text) or int(n_text)
    if unit == "fortnight":
        return today - dt.timedelta(days=14 * n)
    if unit in ("day", "week"):
        return today - dt.timedelta(days=n * (7 if unit == "week" else 1))
    return today - relativedelta(**{unit + "s": n})


def _dateparser(t: str, today: dt.date, prefer_day: str) -> Optional[dt.date]:
    import dateparser  # imported on first use: it takes a while to load
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": prefer_day,
                "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)), "RETURN_AS_TIMEZONE_AWARE": False}
    found = dateparser.parse(t, languages=["en"], settings=settings)
    if found is None:
        hits = search_dates(t, languages=["en"], settings=settings) or []
        hits = [(s, d) for s, d in hits if not re.fullmatch(r"\s*\d{1,3}\s*", s)]
        found = hits[-1][1] if hits else None
    return found.date() if found else None


def parse_date(text: str, today: dt.date, never: bool = False, birth: bool = False, **_: Any) -> Any:
    """A day in the past or today; "never" where allowed; "unknown" for "I don't know"."""
    t = clean(text)
    if not t:
        raise NotUnderstood("date")
    if DONT_KNOW.search(t) and not re.search(r"\d", t):
        return UNKNOWN
    if never and NEVER_WORDS.search(t) and not re.search(r"\d|ago|" + "|".join(m[:3] for m in MONTHS), t):
        return NEVER
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", t)
    try:
        if iso:
            day = dt.date(*map(int, iso.groups()))
        elif re.fullmatch(r"(?:this morning|this afternoon|today|earlier today|tonight)", t):
            day = today
        else:
            day = _ago(t, today)
            if day is None:
                if VAGUE.search(t):
                    raise NotUnderstood("date_vague")
                year_only = re.fullmatch(r"(?:in |during |early |late |back in )?(\d{4})", t)
                if year_only:
                    year = int(year_only.group(1))
                    if year >= today.year or birth:
                        raise NotUnderstood("date_vague")
                    return dt.date(year, 12, 31).isoformat()  # the latest day: windows judged conservatively
                if re.fullmatch(r"[\d\s]+", t) or (re.fullmatch(r"\d{1,3}\D*", t) and not re.search("|".join(m[:3] for m in MONTHS), t)):
                    raise NotUnderstood("date")
                day = _dateparser(t, today, "first" if birth else "last")
    except ValueError as err:
        if isinstance(err, NotUnderstood):
            raise
        raise NotUnderstood("date_impossible") from None
    if day is None:
        if YES.search(t) and never:
            raise NotUnderstood("date_when")
        raise NotUnderstood("date")
    if day > today:
        if not birth and re.search("|".join(MONTHS), t) and not re.search(r"\d{4}", t):
            day = _clamp(day, today)  # "in November" this month: as late as today
        else:
            raise NotUnderstood("date_future", day=day.isoformat())
    if birth and day.year < today.year - 120:
        raise NotUnderstood("date_impossible")
    return day.isoformat()


AGE = re.compile(r"\b(\d{1,3})\s*(?:years?|yrs?|y/?o|yo)?(?:\s*old)?\b")


def parse_age_or_birth(text: str, today: dt.date, **_: Any) -> Tuple[str, Any]:
    """(key, value): ("age_years", 9) for an age, ("date_of_birth", "2016-04-20") for a date."""
    t = words_to_digits(clean(text))
    if DONT_KNOW.search(t) and not re.search(r"\d", t):
        return "date_of_birth", UNKNOWN
    if re.search(r"(?:^|\s)-\s*\d", t):
        raise NotUnderstood("age_range")
    t = re.sub(r"^(?:(?:he|she|they) (?:was|were) )?born (?:on |in )?", "", t)
    has_month = re.search("|".join(m[:3] for m in MONTHS), t)
    date_like = re.search(r"\d{1,4}[/.-]\d{1,2}([/.-]\d{2,4})?", t) or re.search(r"\b(19|20)\d{2}\b", t) or has_month
    if not date_like:
        months = re.search(r"\b(\d{1,3})\s*(?:months?|mths?)\b", t)
        if months and not re.search(r"years?|yrs?", t):
            return "age_years", int(months.group(1)) // 12
        m = AGE.search(t)
        if m:
            age = int(m.group(1))
            if age > 120:
                raise NotUnderstood("age_range")
            return "age_years", age
        raise NotUnderstood("age")
    return "date_of_birth", parse_date(t, today, birth=True)


# --- choices -------------------------------------------------------------------

SYNONYMS: Dict[str, Dict[str, Sequence[str]]] = {
    "sex": {
        "male": [r"boy", r"male", r"son", r"he", r"him", r"his", r"man", r"lad", r"m"],
        "female": [r"girl", r"female", r"daughter", r"she", r"her", r"woman", r"lass", r"f"],
    },
    "diagnosis": {
        "b_precursor_all": [r"b[\s-]?(?:cell|precursor|all|lymphoblastic)", r"pre[\s-]?b", r"pro[\s-]?b",
                            r"precursor[\s-]?b", r"common all", r"bcp", r"b[\s-]?all", r"c[\s-]?all",
                            r"the first", r"first one"],
        "other": [r"t[\s-]?(?:cell|all)", r"aml", r"myeloid", r"cml", r"cll", r"lymphoma", r"mixed", r"other",
                  r"another", r"different", r"something else", r"not b", r"burkitt"],
    },
    "gvhd": {
        "none": [r"no", r"none", r"nope", r"not now", r"doesn'?t", r"don'?t", r"hasn'?t", r"never"],
        "acute": [r"acute"],
        "chronic_extensive": [r"extensive", r"widespread", r"wide spread", r"severe", r"lots", r"everywhere", r"chronic,? widespread"],
        "chronic_limited": [r"limited", r"mild", r"a little", r"small", r"chronic,? limited"],
    },
    "cns_leukaemia": {
        "treated_no_symptoms": [r"treated", r"cleared", r"gone", r"in the past", r"used to", r"no symptoms", r"yes,? but"],
        "active": [r"active", r"there now", r"right now", r"still", r"has symptoms", r"causing symptoms", r"with symptoms", r"currently", r"at the moment"],
        "none": [r"no", r"none", r"nope", r"never", r"hasn'?t", r"haven'?t", r"didn'?t"],
    },
    "chemo_side_effects": {
        "none": [r"no", r"none", r"nope", r"recovered", r"fine", r"all gone", r"nothing"],
        "mild": [r"mild", r"a (?:little|bit)", r"slight", r"minor", r"only mild", r"small", r"not (?:too )?bad"],
        "ongoing": [r"yes", r"ongoing", r"bad", r"severe", r"still", r"lots", r"more than mild", r"serious", r"struggling"],
    },
}


def parse_choice(text: str, key: str, choices: Sequence[str] = (), **_: Any) -> Any:
    t = clean(text)
    for value in choices:  # the exact strings offered as buttons are accepted verbatim
        if t == value.lower() or t == value.lower().replace("_", " "):
            return value
    if DONT_KNOW.search(t):
        return UNKNOWN
    # The value with the longest matching phrase wins: "no symptoms" says more than "no".
    longest = {}
    for value, words in SYNONYMS.get(key, {}).items():
        spans = [len(m.group(0)) for m in _any(words).finditer(t)]
        if spans:
            longest[value] = max(spans)
    ranked = sorted(longest.items(), key=lambda kv: -kv[1])
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    if key == "gvhd" and re.search(r"\bchronic\b", t):
        raise NotUnderstood("gvhd_chronic")
    raise NotUnderstood("choice")


def parse_performance(text: str, levels: Sequence[Tuple[int, str]], **_: Any) -> Any:
    """A score in tens, or one of the plain descriptions of the child's day."""
    t = clean(text)
    for score, description in levels:
        if t == clean(description):
            return score
    if DONT_KNOW.search(t):
        return UNKNOWN
    found = numbers_in(t)
    if found:
        score = found[0]
        if score < 0 or score > 100 or score % 10:
            raise NotUnderstood("performance_range")
        return int(score)
    # The description sharing the most words with what was typed, if clearly ahead.
    words = set(re.findall(r"[a-z]+", t)) - STOPWORDS
    scored = sorted(((len(words & (set(re.findall(r"[a-z]+", clean(d))) - STOPWORDS)), s) for s, d in levels), reverse=True)
    if scored and scored[0][0] >= 2 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    raise NotUnderstood("performance")


STOPWORDS = {"a", "an", "the", "and", "but", "or", "of", "to", "in", "on", "is", "he", "she", "they", "it", "i",
             "my", "his", "her", "their", "for", "with", "at", "be", "very", "most", "days", "day", "just", "really"}

PARSERS: Dict[str, Callable[..., Any]] = {
    "yes_no": parse_yes_no,
    "date": parse_date,
    "number": parse_number,
    "choice": parse_choice,
}
