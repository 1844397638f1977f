"""Reading when things happened and how old a child is: a day in the past (or "never",
"unknown"), every day an answer places, and an age or a date of birth. No Rasa here."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, List, Optional, Tuple

from dateutil.relativedelta import relativedelta

from .parsing import (DOUBTS, NEVER, UNKNOWN, YES_NO_WORDS, NotUnderstood, _any, clean, phrase_hits, says_dont_know,
                      words_to_digits)

NEVER_WORDS = _any([
    r"never", r"no", r"none", r"nope", r"not had", r"hasn'?t had", r"haven'?t had", r"has not had", r"have not had",
    r"didn'?t have", r"did not have", r"not ever", r"n/a", r"not applicable", r"he hasn'?t", r"she hasn'?t",
    r"not yet", r"no,? not yet", r"nah", r"naw", r"nae", r"nay", r"(?:this|it|that)(?: would|'d|'ll| will)? be (?:the|his|her|their|our) first",
])
MONTHS = "january february march april may june july august september october november december".split()
MONTH_NAME = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
                        r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b")  # whole words: "doctor" holds no October
SECOND_THOUGHT = re.compile(r"\bor (?:was it|is it|maybe|possibly|perhaps)\b|\d\W*\?\?")  # a figure doubted at once
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# A weekday that places a day ("on Friday"), not a habit ("they ring on a Tuesday", "Fridays").
WEEKDAY = re.compile(r"(?<!\ba )(?<!\bevery )\b(" + "|".join(WEEKDAYS) + r")\b(?!s)")
# "on the 1st": a day of the month with no month, alone or with its weekday ("the 1st, a Tuesday").
ORDINAL_DAY = re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b(?=\s*(?:$|[,.;:!?)-]|(?:a |on a )?(?:" + "|".join(WEEKDAYS) + r")))")
# Days families name rather than date ("Christmas Eve", "Valentine's Day 2024").
NAMED_DAYS = {r"christmas day": "25 december", r"christmas eve": "24 december", r"boxing day": "26 december",
              r"new year'?s day": "1 january", r"new year'?s eve": "31 december", r"valentine'?s(?: day)?": "14 february",
              r"halloween": "31 october", r"bonfire night": "5 november"}
# "before" counts back from today only where it ends the phrase ("a week before"); "7 days
# before her relapse" counts from another event, a time this answer cannot place.
AGO = re.compile(r"\b(\d+|a|an|one|a couple of|a few)\s*(day|week|fortnight|month|year|wk|mth|mo|yr|d)s?\s*"
                 r"(?:ago|back|before(?=\s*(?:$|[.,;:!?)]|and\b|but\b|so\b|then\b|now\b)))")
# A time since, said as a length: "five months without chemo", "off treatment for 3 weeks".
SINCE = re.compile(r"\b(\d+|a|an|one|a couple of)\s*(day|week|fortnight|month|year)s?\s*(?:now\s*)?(?:without|off|since|free of|"
                   r"clear of|out of|after (?:finishing|stopping|his|her|the|their))\b|"
                   r"\b(?:off|without|free of|clear of|finished|stopped|no)\s+(?:[\w-]+\s+){0,3}for\s+(?:about\s+|around\s+)?"
                   r"(\d+|a|an|one|a couple of)\s*(day|week|fortnight|month|year)s?\b")
UNIT_NAMES = {"wk": "week", "mth": "month", "mo": "month", "yr": "year", "d": "day"}
VAGUE = re.compile(r"\b(few|several|some|couple|a while|recently|ages|long time|while back|not long|summer|spring|autumn|"
                   r"winter|christmas|easter|half[\s-]?term|(?:early|late|mid|start|beginning|end)(?: of)? (?:this|last|the) year|"
                   r"when (?:he|she|they|i) (?:was|were) (?:\d+|a baby|[a-z]+))\b")  # an age is no date
# A time said with "I don't know" ("not sure, end of July sometime"): a guess to ask about, not "I don't know".
TIME_HINT = re.compile(r"\b(?:ago|last (?:week|month|year)|(?:start|end|beginning|middle) of|around|about|christmas|easter|"
                       r"half[\s-]?term|summer|spring|autumn|winter|" + "|".join(WEEKDAYS) + r")\b")


def _clamp(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


def _ago(t: str, today: dt.date) -> Optional[dt.date]:
    m = AGO.search(t)
    if m:
        return _back(m.group(1), m.group(2), today)
    m = SINCE.search(t)
    return _back(m.group(1) or m.group(3), m.group(2) or m.group(4), today) if m else None


def _back(n_text: str, unit: str, today: dt.date) -> dt.date:
    """The day `n_text` `unit`s before today ("a couple of" "month")."""
    unit = UNIT_NAMES.get(unit, unit)
    if n_text in ("a few",):
        raise NotUnderstood("date_vague")
    n = {"a": 1, "an": 1, "one": 1, "a couple of": 2}.get(n_text) or int(n_text)
    if unit == "fortnight":
        return today - dt.timedelta(days=14 * n)
    if unit in ("day", "week"):
        return today - dt.timedelta(days=n * (7 if unit == "week" else 1))
    return today - relativedelta(**{unit + "s": n})


TODAY_WORDS = re.compile(r"\b(?:this morning|this afternoon|today|earlier today|tonight|still (?:on it|taking|having|getting|on them))\b")
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?: of)? (" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?"
                       r"(?:,? (\d{4}|this year|last year))?\b")
MONTH_YEAR = re.compile(r"\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]* (\d{4}|last year)\b")
MONTH_DAY = re.compile(r"\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]* (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?\b")


def _written_date(t: str, today: dt.date) -> Optional[dt.date]:
    """Day-first dates in a longer message: "on 23/11/2024", "1st feb this year", "aug 15".
    Without a year, the most recent such day; an impossible day raises ValueError."""
    m = NUMERIC_DATE.search(t)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return dt.date(y + 2000 if y < 100 else y, mo, d)
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)? of (?:this|the) month\b", t)
    if m:
        return today.replace(day=int(m.group(1)))
    m = DAY_MONTH.search(t)
    if m:
        d, mon, year = int(m.group(1)), m.group(2), m.group(3)
    else:
        m = MONTH_DAY.search(t)
        if not m:
            return None
        mon, d, year = m.group(1), int(m.group(2)), m.group(3)
    month = [x[:3] for x in MONTHS].index(mon) + 1
    if year and year[0].isdigit():
        return dt.date(int(year), month, d)
    y = today.year - (1 if year == "last year" else 0)
    day = dt.date(y, month, d)
    return day if day <= today or year else dt.date(y - 1, month, d)


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


def named_days(t: str) -> str:
    """A cleaned message with the days it names as dates ("christmas eve" as "24 december")."""
    for name, day in NAMED_DAYS.items():
        t = re.sub(rf"\b{name}\b", day, t)
    return t


def _time_words(text: str) -> str:
    """The message cleaned, with numbers in words as digits where they count time ("five months ago")."""
    t = named_days(clean(text))
    one = re.sub(r"\bone\b(?!\s+(?:day|week|fortnight|month|year)s?\b)", "0ne", t)  # "hoping for one": a thing, not a number
    return words_to_digits(one).replace("0ne", "one") if re.search(r"\b(?:ago|back|before|without|off|since|for|free|clear)\b", t) else t


def _day_of_week(t: str, today: dt.date) -> Optional[dt.date]:
    """The most recent day the message names by its weekday or by its day of the month, or by
    both, which must agree ("on the 1st, a Tuesday"); a weekday alone is never today."""
    nth = ORDINAL_DAY.search(t)
    named = re.search(r"\b(" + "|".join(WEEKDAYS) + r")\b", t) if nth else WEEKDAY.search(t)
    weekday = WEEKDAYS.index(named.group(1)) if named else None
    if nth is None:
        return None if weekday is None else today - dt.timedelta(days=(today.weekday() - weekday) % 7 or 7)
    for back in range(0, 450):
        day = today - dt.timedelta(days=back)
        if day.day == int(nth.group(1)) and weekday in (None, day.weekday()):
            return day
    raise NotUnderstood("date_vague")


ISO_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
DAY_WORDS = re.compile(r"\b(?:day before yesterday|yesterday|last night)\b")
DAY_SLASH_MONTH = re.compile(r"\b\d{1,2}/\d{1,2}\b(?!/)")  # "on 22/08": this year's, or last year's if still to come
TIME_MENTIONS = (ISO_DATE, NUMERIC_DATE, DAY_SLASH_MONTH, DAY_MONTH, MONTH_DAY, MONTH_YEAR, AGO, SINCE, DAY_WORDS, WEEKDAY)


def times_in(text: str, today: dt.date) -> List[str]:
    """Every day an answer places, in the order written ("finished chemo 5 months ago, the party
    was 2 weeks ago": two). A time it cannot place (a week before something else) is not one."""
    t = _time_words(text)
    spans = sorted(((m.start(), m.end()) for pattern in TIME_MENTIONS for m in pattern.finditer(t)),
                   key=lambda span: (span[0], -span[1]))
    days: List[str] = []
    end = -1
    for start, stop in spans:
        if start < end:
            continue  # inside a longer mention ("march 2026" of "3 march 2026")
        end = stop
        try:
            day = parse_date(t[start:stop], today)
        except NotUnderstood:
            continue
        if day not in days:
            days.append(day)
    return days


def says_never_had(text: str, topic: str) -> bool:
    """"CAR-T in April, but she's never had a transplant": never, said of the question's own topic."""
    return bool(re.search(rf"\b(?:never|not yet)(?: \w+){{0,2}}? (?:a |an |any )?(?:{topic})(?!\w*\s+(?:since|for|in the last))",
                          clean(text)))


DAY_PLUS = re.compile(r"\bday \+ ?(\d{1,3})\b(?: (?:was|is|fell on|on))?")  # days counted from a transplant


def parse_date(text: str, today: dt.date, never: bool = False, birth: bool = False, oldest: int = 120, **_: Any) -> Any:
    """A day in the past or today; "never" where allowed; "unknown" for "I don't know"."""
    t = _time_words(text)
    plus = DAY_PLUS.search(t)
    if plus:  # "his day +100 was 20 July": the day 100 days before
        day = parse_date(t[:plus.start()] + t[plus.end():], today, never, birth, oldest)
        return (dt.date.fromisoformat(day) - dt.timedelta(days=int(plus.group(1)))).isoformat() if day not in (UNKNOWN, NEVER) else day
    if not t:
        raise NotUnderstood("date")
    if says_dont_know(t) and not re.search(r"\d", t):
        if MONTH_NAME.search(t) or TIME_HINT.search(t):
            raise NotUnderstood("date_vague")
        return UNKNOWN
    if DOUBTS.search(t) and not re.search(r"\d", t):
        raise NotUnderstood("date")
    if SECOND_THOUGHT.search(t):
        raise NotUnderstood("date_vague")  # "3 weeks ago, or was it 4?"
    if never and NEVER_WORDS.search(t) and not (re.search(r"\d|ago", t) or MONTH_NAME.search(t) or WEEKDAY.search(t)):
        return NEVER
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", t)
    try:
        if iso:
            day = dt.date(*map(int, iso.groups()))
        else:
            day = _ago(t, today) or _written_date(t, today)
            if day is None and re.search(r"\bday before yesterday\b", t):
                day = today - dt.timedelta(days=2)
            elif day is None and re.search(r"\b(?:last night|yesterday)\b", t):
                day = today - dt.timedelta(days=1)
            day = day or _day_of_week(t, today)  # "still on it, had vincristine on Friday": Friday
            if day is None and TODAY_WORDS.search(t):
                day = today
            if day is None:
                if VAGUE.search(t):
                    raise NotUnderstood("date_vague")
                if re.search(r"\blast month\b", t):  # the month's last day, as with a month alone
                    return (today.replace(day=1) - dt.timedelta(days=1)).isoformat()
                month_year = MONTH_YEAR.search(t)
                if month_year:  # "jan 2025", "may last year": the month's last day, as with a month alone
                    month = [m[:3] for m in MONTHS].index(month_year.group(1)) + 1
                    year = today.year - 1 if month_year.group(2) == "last year" else int(month_year.group(2))
                    return min(dt.date(year, month, 1) + relativedelta(months=1, days=-1), today).isoformat()
                year_only = None if re.search(r"\d{1,2}[/.]\d", t) or MONTH_NAME.search(t) else \
                    re.search(r"\b((?:19|20)\d{2})\b", t)
                if year_only:
                    year = int(year_only.group(1))
                    if year >= today.year or birth:
                        raise NotUnderstood("date_vague")
                    return dt.date(year, 12, 31).isoformat()  # the latest day: windows judged conservatively
                if re.fullmatch(r"[\d\s]+", t) or (re.fullmatch(r"\d{1,3}\D*", t) and not MONTH_NAME.search(t)):
                    raise NotUnderstood("date")
                if birth and not re.search(r"\b(?:19|20)\d{2}\b|\b(?:this|last) year\b|\d[/.]\d{1,2}[/.]\d", t):
                    raise NotUnderstood("date_vague")  # "born in march": which year?
                day = _dateparser(t, today, "first" if birth else "last")
    except ValueError as err:
        if isinstance(err, NotUnderstood):
            raise
        raise NotUnderstood("date_impossible") from None
    if day is None:
        if never and True in phrase_hits(t, {True: YES_NO_WORDS[True]}):
            raise NotUnderstood("date_when")
        raise NotUnderstood("date")
    if day > today:
        if not birth and re.search("|".join(MONTHS), t) and not re.search(r"\d{4}", t):
            day = _clamp(day, today)  # "in November" this month: as late as today
        else:
            raise NotUnderstood("date_future", day=day.isoformat())
    if birth and day.year < today.year - oldest:
        raise NotUnderstood("date_impossible")
    return day.isoformat()


AGE = re.compile(r"\b(\d{1,3})\s*(?:years?|yrs?|y/?o|yo)?(?:\s*old)?\b")


def parse_age_or_birth(text: str, today: dt.date, oldest: int = 120, **_: Any) -> Tuple[str, Any]:
    """(what, value): ("years", 9) for an age, ("birth", "2016-04-20") for a date of birth;
    `oldest` is the highest age the trial file accepts."""
    t = words_to_digits(named_days(clean(text)))
    if says_dont_know(t) and not re.search(r"\d", t) and not SCHOOL.search(t):
        return "birth", UNKNOWN
    if re.search(r"(?:^|\s)-\s*\d", t):
        raise NotUnderstood("age_range")
    t = re.sub(r"^(?:(?:he|she|they) (?:was|were) )?born (?:on |in )?", "", t)
    if re.search(r"\b(?:year|grade|class|form|primary|p|yr)\s*\d", t) or SCHOOL.search(t):
        raise NotUnderstood("age")  # a school year is not an age
    if SECOND_THOUGHT.search(t):
        raise NotUnderstood("age")  # "12/07/2018... or was it 2017??": which?
    coming = re.search(r"\b(?:will be|'ll be|nearly|almost|turning|turns|going on|soon)\s+(\d{1,3})\b(?!\s*(?:and a half\s*)?(?:months?|mths?|weeks?|wks?|days?))|"
                       r"\b(\d{1,3})\s+(?:next|nxt|this|in \d+)\s+(?:days?|weeks?|months?|year)\b|"
                       r"\b(\d{1,3})\s+in\s+" + MONTH_NAME.pattern, t)
    if coming:  # "she'll be 12 in November", "im 15 (16 in december)": the age now, one less
        n = int(next(g for g in coming.groups() if g))
        now = ages_said(t)
        if (coming.group(2) or not re.search(r"^\d{1,3}\b", t)) and now <= {str(n - 1)}:
            return "years", n - 1
    t = re.split(r"[,;(]|\bbut\b", t)[0].strip() if re.match(r"^\d{1,3}\s*(?:years?|yrs?|y/?o)?(?:\s*old)?\s*[,;(]", t) else t
    if re.search(r"\b\d{1,3}\s*(?:or|-|to)\s*\d{1,3}\b", t) and not re.search(r"\d[/.-]\d{1,2}[/.-]\d", t):
        raise NotUnderstood("age")  # "9 or 10": which?
    date_like = re.search(r"\d{1,4}[/.-]\d{1,2}([/.-]\d{2,4})?", t) or re.search(r"\b(19|20)\d{2}\b", t) or MONTH_NAME.search(t)
    if not date_like and re.search(r"\bago\b", t):
        return "birth", parse_date(t, today, birth=True, oldest=oldest)  # "born 3 weeks ago"
    birthday = BIRTHDAY.search(t)
    if birthday and not date_like:
        return "years", _age_by_birthday(t, birthday)
    if not date_like:
        young = re.search(r"\b(\d{1,3})\s*(days?|weeks?|wks?)\b", t)
        if young and not re.search(r"years?|yrs?|months?|mths?", t):  # "3 weeks old": a baby's birth, counted back
            return "birth", (today - dt.timedelta(days=int(young.group(1)) * (7 if young.group(2)[0] == "w" else 1))).isoformat()
        months = re.search(r"\b(\d{1,3})\s*(?:(?:and )?a (?:half|50)\s*)?(?:months?|mths?)\b", t)  # words_to_digits: "a half" is "a 50"
        if months and not re.search(r"years?|yrs?", t):
            return "years", int(months.group(1)) // 12
        with_months = re.search(r"\b(\d{1,3}|a|one) (?:years?|yrs?)(?: old)?,? and (?:a half|\d{1,2} (?:months?|mths?))\b", t)
        if with_months:  # "a year and 2 months", "6 and a half" is already read as 6
            return "years", 1 if with_months.group(1) in ("a", "one") else int(with_months.group(1))
        m = AGE.search(t)
        if m:
            age = int(m.group(1))
            if age > oldest:
                raise NotUnderstood("age_range")
            return "years", age
        raise NotUnderstood("age")
    born = parse_date(t, today, birth=True, oldest=oldest)
    if born != UNKNOWN and not _fits_age(t, dt.date.fromisoformat(born), today):
        raise NotUnderstood("age")  # "born 20/06/2026, he's 6 months old": which is right?
    return "birth", born


AGE_SAID = re.compile(r"\b(?:is|'s|aged?|turned|i'?m|im|i am)\s+(\d{1,2})\b(?!\s*(?:months?|mths?|weeks?|wks?|days?|%|[/.-]\d))")


def ages_said(text: str) -> set:
    """The ages a message states ("Ellie's 8 and her brother is 11": two)."""
    return set(AGE_SAID.findall(words_to_digits(clean(text))))


SCHOOL = re.compile(r"\b(?:reception|nursery|pre-?school|playgroup|primary|secondary)\b")  # a class says no age
ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
            "fifteenth sixteenth seventeenth eighteenth").split()
BIRTHDAY = re.compile(r"\b(\d{1,2}|" + "|".join(ORDINALS) + r")(?:st|nd|rd|th)? birthday\b")


def _age_by_birthday(t: str, birthday: re.Match) -> int:
    """"He had his 5th birthday last week": 5; "her 12th birthday is next month": 11."""
    n = int(birthday.group(1)) if birthday.group(1).isdigit() else ORDINALS.index(birthday.group(1)) + 1
    if re.search(r"\b(?:next|coming|soon|tomorrow|is on|'s on|will be|in \d+)\b", t[birthday.end():]):
        return n - 1
    if re.search(r"\b(?:had|celebrated|was|last|yesterday|ago|just)\b", t):
        return n
    raise NotUnderstood("age")


def _fits_age(t: str, born: dt.date, today: dt.date) -> bool:
    """An age said with the date of birth agrees with it (to a month)."""
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    said_months = re.search(r"\b(\d{1,2})\s*(?:months?|mths?)(?: old)?\b", t)
    said_years = re.search(r"\b(?:is|'s|aged?|turned)\s+(\d{1,2})\b(?!\s*(?:months?|mths?|weeks?|wks?|days?|[/.-]\d))", t)
    return not (said_months and abs(int(said_months.group(1)) - months) > 1) and \
        not (said_years and int(said_years.group(1)) != months // 12)
