"""The trial file's schema and loader.

A trial is data: its answer keys, criteria, questions, FAQ and nurse line. The
schema refuses a malformed file with an error that names the field, so a typo in
the YAML never becomes a silently wrong decision.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Literal, Optional, Union

import yaml

try:  # pydantic 2 keeps the 1.x API under pydantic.v1; Rasa 3.6 brings 1.10
    from pydantic.v1 import BaseModel, Extra, ValidationError, root_validator, validator
except ImportError:  # pragma: no cover - depends on the installed pydantic
    from pydantic import BaseModel, Extra, ValidationError, root_validator, validator

TRIALS = Path(__file__).resolve().parent.parent / "trials"

# Names the chat keeps beside a trial's answers in one conversation (conversation/state.py):
# an answer key or a checklist named like one would overwrite the chat's own state.
CHAT_NAMES = frozenset({
    "reply", "trial", "answers", "chat", "chatting_as", "forget", "pending", "requested_slot", "continue_closed",
    "review", "offer_handoff", "confirm", "confirms", "asked", "decision", "failures", "exit_request",
    "last_answered", "next_step_asked", "opening_done", "reference", "session_started_metadata",
    "said_as", "disputed", "queued", "which", "handoff",
})


class TrialFileError(ValueError):
    """The trial file is malformed; the message names the field."""


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


class AnswerSpec(Strict):
    kind: Literal["yes_no", "date", "number", "choice"]
    choices: List[str] = []
    never: bool = False  # a date question where "never" is an answer
    integer: bool = False
    min: Optional[float] = None
    max: Optional[float] = None
    step: Optional[int] = None
    asked_as: Optional[str] = None  # filled by another key's question (age by date of birth)

    @root_validator(skip_on_failure=True)
    def _choices_only_for_choice(cls, values):
        if (values["kind"] == "choice") != bool(values["choices"]):
            raise ValueError("choices are required for kind choice and only for it")
        return values


class Audience(Strict):
    parent: str
    young_person: Optional[str] = None  # required where the trial's audiences include the young person


class Window(Strict):
    key: str
    days: Optional[int] = None
    months: Optional[int] = None

    @root_validator(skip_on_failure=True)
    def _one_unit(cls, values):
        if (values["days"] is None) == (values["months"] is None):
            raise ValueError("a window has either days or months")
        return values


Condition = Dict[str, Any]

LEAF_OPS = ("equals", "in", "is", "greater_than", "at_least", "less_than", "at_most")
# Conditions on the age the trial's age keys give: whole years below or at least a limit, or
# at most a number of days old (a baby's trial).
AGE_OPS = ("age_below", "age_at_least", "age_days_at_most")


def check_condition(cond: Any, where: str) -> None:
    """Refuse a condition tree the evaluator would not understand."""
    if not isinstance(cond, dict):
        raise ValueError(f"{where}: a condition is a mapping")
    if "all" in cond or "any" in cond:
        (op,) = [k for k in ("all", "any") if k in cond]
        if set(cond) != {op} or not isinstance(cond[op], list) or not cond[op]:
            raise ValueError(f"{where}.{op}: a non-empty list and nothing beside it")
        for i, sub in enumerate(cond[op]):
            check_condition(sub, f"{where}.{op}[{i}]")
    elif any(op in cond for op in AGE_OPS):
        (op,) = [k for k in AGE_OPS if k in cond]
        days = ("today",) if op == "age_days_at_most" else ("today", "start")  # a baby's days are counted on today
        if set(cond) - {op, "day"} or cond.get("day", "today") not in days:
            raise ValueError(f"{where}: {op} takes only 'day: {'|'.join(days)}'")
    elif "key" in cond:
        ops = [k for k in cond if k in LEAF_OPS]
        extra = set(cond) - {"key", "otherwise"} - set(LEAF_OPS)
        if len(ops) != 1 or extra:
            raise ValueError(f"{where}: a leaf has a key and exactly one of {', '.join(LEAF_OPS)}")
        if cond.get("otherwise", "false") not in ("false", "unknown"):
            raise ValueError(f"{where}.otherwise: false or unknown")
    else:
        raise ValueError(f"{where}: expected all, any, {', '.join(AGE_OPS)} or key")


def condition_keys(cond: Optional[Condition], age_keys: List[str]) -> List[str]:
    """Answer keys a condition reads, in order of first appearance."""
    if not cond:
        return []
    if "all" in cond or "any" in cond:
        out: List[str] = []
        for sub in cond.get("all") or cond.get("any"):
            out += [k for k in condition_keys(sub, age_keys) if k not in out]
        return out
    if any(op in cond for op in AGE_OPS):
        return list(age_keys)
    return [cond["key"]]


class Criterion(Strict):
    id: str
    # inclusion: the test must hold. exclusion: the trial is closed to the child when it holds.
    # sources_disagree: the trial's own records disagree on this rule, so when the test holds
    # (or is not known) the criterion is unknown, for the trial team to decide; never failed.
    type: Literal["inclusion", "exclusion", "sources_disagree"]
    test: Optional[Condition] = None
    # The criterion holds when its answers are not known ("a baby whose result is not known
    # can still join"); the question is still asked, since a yes can rule the child out.
    holds_when_unknown: bool = False
    window: Optional[Window] = None
    not_applicable_when: Optional[Condition] = None
    rule: Audience
    # The rule in other words where a condition on the answers holds or fails (the activity
    # rule reads as Lansky's meaning under 16 and Karnofsky's from 16); `rule` when unknown.
    rule_when: Optional["RuleWhen"] = None
    why: str
    source: List[str]  # the lay-summary sentences the rule and its "why" say in other words

    _one_source = validator("source", pre=True, allow_reuse=True)(lambda v: [v] if isinstance(v, str) else v)

    @root_validator(skip_on_failure=True)
    def _shape(cls, values):
        if values["test"] is None and values["window"] is None:
            raise ValueError("a criterion needs a test, a window or both")
        if values["window"] is not None and values["type"] != "exclusion":
            raise ValueError("only an exclusion has a window")
        if values["type"] == "sources_disagree" and (values["test"] is None or values["holds_when_unknown"]):
            raise ValueError("a rule the sources disagree on has a test, and stays unknown when its answer is")
        for field in ("test", "not_applicable_when"):
            if values[field] is not None:
                check_condition(values[field], field)
        return values


class RuleWhen(Strict):
    when: Condition
    then: Audience
    otherwise: Audience

    @validator("when")
    def _condition(cls, v):
        check_condition(v, "rule_when.when")
        return v


Criterion.update_forward_refs(RuleWhen=RuleWhen)


class Choice(Strict):
    value: str
    title: str
    # Phrases (regular expressions over the lower-cased message) families use for this
    # choice; a phrase after "not", "never", "hasn't"... in its clause does not count.
    words: List[str] = []


class YesNoWords(Strict):
    """Phrases that answer one yes/no question beyond the words every question takes:
    "his bloods were fine" is a yes to the blood test question, and to no other."""
    yes: List[str] = []
    no: List[str] = []
    unknown: List[str] = []  # not knowing said in the question's terms ("not sure what counts as a low dose")


class Spotting(Strict):
    """How the answer is read from a longer message ("she's 9, it came back in March",
    "his last chemo was 3 weeks ago"), so the question need not be asked. A date or a
    number is read from the clause that names the question; a yes/no or a choice from
    the whole message. Conservative on purpose: each fact is then checked as if asked."""
    needs: List[str] = []  # patterns the text must all contain; none: the question's topic
    unless: Optional[str] = None  # a text with this is not an answer ("intrathecal chemo")
    yes: List[str] = []  # phrases that state yes; after "not", "never"... they state no
    no: List[str] = []
    choices: Dict[str, List[str]] = {}  # phrases that state a choice; exactly one may be named


class Question(Strict):
    key: str
    label: str  # a few words for the review and the nurse's summary
    # "scale": a number answered by picking the level of the performance scale the age selects
    kind: Literal["yes_no", "date", "number", "choice", "scale"]
    topic: Optional[str] = None  # a pattern naming the question: "change the chemo date"
    facts: Optional[Spotting] = None  # read from longer messages too
    unit: str = ""  # shown after a number: "45%"
    item: Optional[str] = None  # its line in a checklist, keeping the rule's qualifiers
    why: str
    ask: Audience
    choices: List[Choice] = []
    words: Optional[YesNoWords] = None


class Checklist(Strict):
    """Several questions asked as one: "Do any of these apply?" with "None of these" first.

    Each item is a yes/no question, or a date question read as "ever had" (a ticked date
    item is then asked for its date). Only the items that could still matter are shown."""
    slot: str  # names the checklist; not an answer key
    ask: Audience
    why: str
    none: str = "None of these"
    items: List[str]


class Level(Strict):
    score: int
    text: str
    words: List[str] = []  # more words families use for this level ("plays normally"), scored as its text is


class Scale(Strict):
    name: Optional[str] = None  # the score's name; none for the plain words used when age is unknown
    below_age: Optional[int] = None  # for ages below this; with neither, for age unknown
    age_unknown: bool = False
    ask: Audience
    levels: List[Level]


class Faq(Strict):
    id: str
    keywords: str  # a regular expression over the lower-cased message
    topic: str
    answer: Audience
    source: List[str]  # the lay-summary sentences the answer says in other words


class NurseLine(Strict):
    name: str
    phone: str
    hours: Optional[str] = None
    hours_unknown: str

    @validator("phone", pre=True)
    def _phone_text(cls, v):
        return str(v)


class Identity(Strict):
    id: str
    title: str
    short_name: str
    phase: Union[int, str]
    status: Literal["open", "closed"]
    identifiers: Dict[str, str]
    sponsor: str
    chief_investigator: str
    source: str
    who_joins: str = "the young person"  # who the trial is for, as the opening names them ("the baby")

    @property
    def recruiting(self) -> bool:
        return self.status == "open"


WHO_CHATS = ("parent", "young_person", "professional")


def _audience_texts(value: Any, where: str):
    """(where, Audience) for every wording in a parsed part of the trial file."""
    if isinstance(value, Audience):
        yield where, value
    elif isinstance(value, BaseModel):
        for name in value.__fields__:
            yield from _audience_texts(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, (list, tuple)):
        for n, item in enumerate(value):
            yield from _audience_texts(item, f"{where}.{getattr(item, 'key', None) or getattr(item, 'id', None) or n}")
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _audience_texts(item, f"{where}.{k}")


class Trial(Strict):
    trial: Identity
    # Who may be chatting: a baby's trial is read by a parent or a professional, never the patient.
    audiences: List[Literal["parent", "young_person", "professional"]] = list(WHO_CHATS)
    nurse_line: NurseLine
    answers: Dict[str, AnswerSpec]
    criteria: List[Criterion]
    questions: List[Question]
    performance_scales: Dict[str, Scale] = {}
    checklists: List[Checklist] = []
    faq: List[Faq] = []

    @root_validator(skip_on_failure=True)
    def _young_person_wording(cls, values):
        if "young_person" in values["audiences"]:
            for part in ("criteria", "questions", "checklists", "performance_scales", "faq"):
                for where, text in _audience_texts(values[part], part):
                    if text.young_person is None:
                        raise ValueError(f"{where}.young_person: the trial's audiences include the young person")
        return values

    @root_validator(skip_on_failure=True)
    def _references(cls, values):
        keys = values["answers"]
        named = [("answers", k) for k in keys] + [("checklists", c.slot) for c in values["checklists"]]
        for where, k in named:
            if k in CHAT_NAMES:
                raise ValueError(f"{where}.{k}: {k!r} is a name the chat keeps for itself")
        for k, spec in keys.items():
            if spec.asked_as is not None and spec.asked_as not in keys:
                raise ValueError(f"answers.{k}.asked_as: no answer key {spec.asked_as!r}")
        ids = [c.id for c in values["criteria"]]
        if len(set(ids)) != len(ids):
            raise ValueError("criteria: duplicate id")
        for c in values["criteria"]:
            for k in cls._keys_of(c, keys):
                if k not in keys:
                    raise ValueError(f"criteria.{c.id}: reads unknown answer key {k!r}")
        asked = [q.key for q in values["questions"]]
        for q in values["questions"]:
            if q.key not in keys:
                raise ValueError(f"questions.{q.key}: not an answer key")
            if q.why not in ids:
                raise ValueError(f"questions.{q.key}.why: no criterion {q.why!r}")
            expected = "number" if q.kind == "scale" else q.kind
            if keys[q.key].kind != expected:
                raise ValueError(f"questions.{q.key}.kind: {q.kind} does not ask a {keys[q.key].kind} answer")
            if q.kind == "scale" and not values["performance_scales"]:
                raise ValueError(f"questions.{q.key}.kind: a scale question needs performance_scales")
        for k, spec in keys.items():
            if k not in asked and spec.asked_as not in asked:
                raise ValueError(f"answers.{k}: no question asks it")
        listed: List[str] = []
        for c in values["checklists"]:
            if c.slot in keys or c.slot in listed:
                raise ValueError(f"checklists.{c.slot}: the name of an answer key or of another checklist")
            for k in c.items:
                q = next((q for q in values["questions"] if q.key == k), None)
                if q is None or k in listed or not (q.kind == "yes_no" or (q.kind == "date" and keys[k].never)):
                    raise ValueError(f"checklists.{c.slot}.items: {k!r} is not a yes/no or never-date question of one checklist")
                if not q.item:
                    raise ValueError(f"questions.{k}.item: a checklist item needs its line")
            listed += [c.slot, *c.items]
        return values

    @staticmethod
    def _keys_of(c: Criterion, keys: Dict[str, AnswerSpec]) -> List[str]:
        ages = age_keys(keys)
        out = condition_keys(c.test, ages) + condition_keys(c.not_applicable_when, ages)
        return out + ([c.window.key] if c.window else [])

    # Derived views, computed once per loaded trial.
    def reads(self, criterion: Criterion) -> List[str]:
        return list(dict.fromkeys(self._keys_of(criterion, self.answers)))

    def criterion(self, cid: str) -> Criterion:
        return next(c for c in self.criteria if c.id == cid)

    def question(self, key: str) -> Question:
        return next(q for q in self.questions if q.key == key)

    def question_on(self, key: str) -> Optional[Question]:
        """The question that asks this answer key, if one does (a key asked only as part of another has none)."""
        return next((q for q in self.questions if q.key == key), None)

    def checklist(self, slot: str) -> Optional[Checklist]:
        return next((c for c in self.checklists if c.slot == slot), None)

    def checklist_of(self, key: str) -> Optional[Checklist]:
        """The checklist that asks `key`, if any."""
        return next((c for c in self.checklists if key in c.items), None)

    def nurse_hours(self) -> str:
        return os.environ.get("NURSE_LINE_HOURS") or self.nurse_line.hours or self.nurse_line.hours_unknown


def age_keys(answers: Dict[str, AnswerSpec]) -> List[str]:
    """The keys that give age: the date of birth, then the age in years asked with it.

    The date of birth is the date key another key is asked as; it wins when known."""
    alts = [k for k, s in answers.items() if s.asked_as and answers[s.asked_as].kind == "date"]
    return [answers[a].asked_as for a in alts[:1]] + alts[:1]


def _field_path(err: ValidationError) -> str:
    first = err.errors()[0]
    return ".".join(str(p) for p in first["loc"] if p != "__root__") or "trial"


def parse_trial(data: Any, origin: str = "trial file") -> Trial:
    try:
        return Trial.parse_obj(data)
    except ValidationError as err:
        first = err.errors()[0]
        raise TrialFileError(f"{origin}: {_field_path(err)}: {first['msg']}") from None


def trials_dir() -> Path:
    """The folder of trial files a deployment serves: TRIALS_DIR, else trials/."""
    return Path(os.environ.get("TRIALS_DIR") or TRIALS)


def default_path() -> Path:
    """The trial a conversation gets when it names none: TRIAL_FILE, else the file that
    `default` in the trials folder names."""
    if os.environ.get("TRIAL_FILE"):
        return Path(os.environ["TRIAL_FILE"])
    named = trials_dir() / "default"
    try:
        return named.parent / named.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise TrialFileError(f"{named}: names the default trial's file: {err.strerror}") from None


def load_trial(path: Union[str, Path, None] = None) -> Trial:
    """The trial in `path`, else the default trial; each file is read and checked once."""
    return _load(Path(path) if path else default_path())


@lru_cache(maxsize=None)
def _load(path: Path) -> Trial:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise TrialFileError(f"{path}: {err}") from None
    return parse_trial(with_shared(data, path), str(path))


SHARED = "shared"
SHARED_FILE = Path("shared") / "answers.yml"


def with_shared(data: Any, path: Path) -> Any:
    """The trial file's data with its shared answers filled in. An answer that means the same in
    every trial asking it (where the illness stands now) is written once, in shared/answers.yml
    beside the trial files: its kind and values, and the question that asks it. A trial names
    it with `KEY: shared` among its answers and `{key: KEY, shared: true, why: ...}` among its
    questions, where its own fields (the criterion whose "why" it gives, its wording) come first."""
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return data
    questions = data.get("questions") if isinstance(data.get("questions"), list) else []
    named = [k for k, v in data["answers"].items() if v == SHARED]
    named += [q.get("key") for q in questions if isinstance(q, dict) and q.get(SHARED)]
    if not named:
        return data
    source = next((f / SHARED_FILE for f in (path.parent, TRIALS) if (f / SHARED_FILE).exists()), TRIALS / SHARED_FILE)
    try:
        shared = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise TrialFileError(f"{source}: {err}") from None
    for key in named:
        if not isinstance(shared.get(key), dict) or not {"answer", "question"} <= set(shared[key]):
            raise TrialFileError(f"{path}: answers.{key}: {source} has no shared answer {key!r} (with its answer and question)")
    answers = {k: (shared[k]["answer"] if v == SHARED else v) for k, v in data["answers"].items()}
    asked = [{**shared[q["key"]]["question"], **{k: v for k, v in q.items() if k != SHARED}}
             if isinstance(q, dict) and q.get(SHARED) else q for q in questions]
    return {**data, "answers": answers, "questions": asked}
