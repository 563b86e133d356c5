"""The rule kinds of the catalogue: their parameters, validation, wording and evaluation.

A ``Rule`` row holds a ``kind`` and JSON ``params``; this module is the only code
that interprets them. Each kind has

- a *schema* (below), checked by :func:`validate_params` (the admin form uses it;
  the engine uses it too, so a row edited by hand can never crash a check);
- a *description* in words (:func:`describe`), shown on the catalogue page;
- an *evaluator* that reads the facts gathered by ``awards.eligibility`` and
  returns pass / fail / unknown ("cannot tell yet") with the reason in plain
  Vietnamese, naming the facts.

Facts are read as they stand: the award history counts only awards on the merit
track (công trạng, thường xuyên) that were not revoked (Decree 98/2023 Art. 4:
ad-hoc and thematic awards do not count toward merit-based ones). When a fact the
rule needs is still being decided in the same review (a pending nomination for
the title it depends on, a missing task rating), the result is "unknown", not
"fail".

Params schema per kind (title codes are ``AwardType.code``; shares are numbers in
(0, 1]; ratings are ``Rating`` values: excellent, good, done, not_done; scopes are
``Scope`` values: grassroots, ministry, national; discipline forms are
``DisciplineForm`` values: reprimand, warning, demotion, removal, dismissal):

``same_year_title``      ``{"title": "LDTT"}``
    The nominee holds the title in the award year.
``consecutive_years``    ``{"title": "CSTDCS", "years": 3, "include_current": true, "max_gap": 1}``
    An unbroken run of ``years`` awards of the title. ``include_current`` (default
    false): the run ends in the award year itself; otherwise it ends in the year
    before. ``max_gap`` (default 1): the most years between two successive awards
    that still count as consecutive (1 = every year; 3 for titles awarded at the
    end of a three-year run, such as two consecutive times Emulation Fighter of a
    ministry). Our reading: Law 06/2022 Art. 22 is considered in the year of the
    third consecutive grassroots title (``include_current: true``); Art. 21 in the
    year after the second consecutive ministry title (``include_current: false``),
    the long-standing guidance on when each is considered.
``achievement``          ``{"any_of": [{"initiative_scope": "grassroots"}, {"rating": "excellent"},
                          {"science_topic": true}], "within_years": 1}``
    At least one alternative holds: an initiative recognised with a scope at least
    the one given; a task rating at least the one given in the award year; a
    science topic (``true``: any scope, or a scope as the minimum). Initiatives
    and topics count when recognised in the ``within_years`` years ending in the
    award year (default 1: the award year only). A person's are those they
    authored; a collective's those recorded for the unit.
``rating``               ``{"min": "good"}``
    The nominee's task rating of the award year is at least ``min``.
``member_share``         ``{"title": "LDTT", "share": 0.5, "strict": true}``
    Collectives: the share of the unit's active people (its whole subtree) holding
    the title in the award year is above (``strict``) or at least ``share``.
``member_count``         ``{"title": "CSTDCS", "min": 1}``
    Collectives: at least ``min`` active people of the unit hold the title that year.
``members_complete``     ``{"share": 1.0, "min_rating": "done"}``
    Collectives: at least ``share`` of the active people are rated ``min_rating``
    (default done) or better that year.
``no_discipline``        ``{"min_form": "warning"}``
    No discipline of that form or a more severe one overlapping the award year: on
    the person, or on anyone of the collective's subtree (people who left count too).
``cap_share``            ``{"of_title": "LDTT", "share": 0.15}``
    Per-body cap: the title's awards in the body (the round's body; without a
    round, the top unit above the nominee) may not exceed ``share`` of the
    ``of_title`` awards of that year, rounded down. Seeded disabled (off by default).
``prior_registration``   ``{}``
    The nominee registered for the title in a submitted or approved registration of
    the year (of the round's campaign, when there is one). Passes when the campaign
    does not require prior registration.
``bloc_leading``         ``{}``
    Collectives: acclaimed as a leading unit of a bloc that year (pledges.Acclamation).
``council_approval``     ``{"share": 0.9, "secret": true}``
    Approval by at least ``share`` of ALL council members (``secret``, default true:
    by secret ballot). Not evaluated before the vote ("unknown"), nor while a secret
    vote is under way (its count is sealed until the session closes); an open vote is
    read as it stands, and once a closed session has voted on the nomination it passes
    or fails on the tally. The
    council part reads these params to fill ``AgendaItem.required_share``/``secret``.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import math
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _gettext

from .models import (
    DISCIPLINE_SEVERITY,
    RATING_RANK,
    SCOPE_RANK,
    DisciplineForm,
    InitiativeKind,
    Rating,
    RegistrationStatus,
    RuleKind,
    Scope,
    Track,
)

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


_local = threading.local()


@functools.lru_cache(maxsize=2048)
def _translated(language: str | None, message: str) -> str:
    return _gettext(message)


def _(message: str) -> str:
    """``gettext``, remembered per language: a batch words tens of thousands of results.

    Inside :func:`wording` the language is read once for the whole batch.
    """
    language = getattr(_local, "language", None) or get_language()
    return _translated(language, message)


@contextlib.contextmanager
def wording() -> Iterator[None]:
    """Fix the language of the messages for a batch (``get_language`` is slow to call)."""
    previous = getattr(_local, "language", None)
    _local.language = get_language()
    try:
        yield
    finally:
        _local.language = previous


# Enum members' values, computed once (``Enum.values`` rebuilds a list on every access).
_VALUES: dict[type, tuple[str, ...]] = {
    enum: tuple(enum.values) for enum in (Scope, Rating, DisciplineForm, RuleKind)
}

# A registration counts once it has been sent up (and not returned).
REGISTERED_STATUSES = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED)

Key = tuple[str, int]  # ("p", person id) or ("u", unit id)


# Facts ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardFact:
    code: str
    year: int
    track: str
    revoked: bool


@dataclass(frozen=True)
class InitiativeFact:
    kind: str
    scope: str
    year: int
    title: str


@dataclass(frozen=True)
class DisciplineFact:
    person_id: int
    person_name: str
    form: str
    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class RegistrationFact:
    year: int
    campaign_id: int | None
    award_type_id: int | None
    status: str


@dataclass(frozen=True)
class CouncilTally:
    agree: int
    members: int
    required_share: Decimal | None
    held_on: datetime.date
    # A secret vote still under way: no count was read (``agree`` is 0 and means nothing).
    sealed: bool = False


@dataclass
class Nominee:
    """Who is checked for what: a person or a collective, a title, a year, a context."""

    award_type_id: int
    award_type_code: str
    year: int
    person_id: int | None = None
    unit_id: int | None = None
    path: str = ""  # the collective's unit path, or the person's unit path
    body_path: str = ""  # the body whose caps apply (the round's body, else the top unit)
    campaign_id: int | None = None
    campaign_name: str = ""
    campaign_requires_registration: bool = True
    nomination_id: int | None = None
    # The nomination is itself among the competing ones counted for CAP_SHARE.
    counted_in_pending: bool = False
    # The council has voted on the nomination: COUNCIL_APPROVAL reads the tally.
    voted: bool = False

    @property
    def key(self) -> Key:
        return ("p", self.person_id) if self.person_id else ("u", self.unit_id or 0)

    @property
    def is_collective(self) -> bool:
        return self.person_id is None


@dataclass
class Facts:
    """Everything the evaluators read, gathered for a whole batch in a few queries."""

    titles: dict[str, str] = field(default_factory=dict)  # code → name
    awards: dict[Key, list[AwardFact]] = field(default_factory=dict)
    pending: dict[Key, set[tuple[str, int]]] = field(default_factory=dict)  # live nominations
    ratings: dict[tuple[Key, int], str] = field(default_factory=dict)
    initiatives: dict[Key, list[InitiativeFact]] = field(default_factory=dict)
    discipline: dict[int, list[DisciplineFact]] = field(default_factory=dict)
    registrations: dict[Key, list[RegistrationFact]] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)  # active people of a subtree
    everyone: dict[int, list[int]] = field(default_factory=dict)  # all people of a subtree
    acclamations: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    cap_awarded: dict[tuple[str, int, str], int] = field(default_factory=dict)
    cap_pending: dict[tuple[str, int, str], int] = field(default_factory=dict)
    council: dict[int, CouncilTally] = field(default_factory=dict)

    def title(self, code: str) -> str:
        return self.titles.get(code, code)

    def merit_years(self, key: Key, code: str) -> set[int]:
        """Years the title was awarded on the merit track and not revoked."""
        cache = self.__dict__.setdefault("_merit", {})
        found = cache.get((key, code))
        if found is None:
            found = cache[(key, code)] = {
                a.year
                for a in self.awards.get(key, ())
                if a.code == code and a.track == Track.MERIT and not a.revoked
            }
        return found

    def not_counted(self, key: Key, code: str, years: Iterable[int]) -> list[str]:
        """Awards of the title in those years that do not count, with the reason."""
        wanted = set(years)
        notes = []
        for a in sorted(self.awards.get(key, ()), key=lambda a: a.year):
            if a.code != code or a.year not in wanted:
                continue
            if a.revoked:
                notes.append(_("%(year)s (đã bị thu hồi)") % {"year": a.year})
            elif a.track != Track.MERIT:
                notes.append(
                    _("%(year)s (loại hình %(track)s)")
                    % {"year": a.year, "track": Track(a.track).label.lower()}
                )
        return notes

    def is_pending(self, key: Key, code: str, year: int) -> bool:
        return (code, year) in self.pending.get(key, ())


# Validation -------------------------------------------------------------------------------------


def _years_list(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


def _choice_list(choices: Iterable[str]) -> str:
    return ", ".join(f"“{c}”" for c in choices)


class _Checker:
    """Collects the errors of one params object, each naming the key at fault."""

    def __init__(self, params: Any, known_codes: set[str] | None) -> None:
        self.params = params
        self.known_codes = known_codes
        self.errors: list[str] = []
        self.clean: dict[str, Any] = {}

    def error(self, message: str) -> None:
        self.errors.append(message)

    def allowed(self, keys: Iterable[str]) -> None:
        extra = sorted(set(self.params) - set(keys))
        if extra:
            self.error(
                _("Tham số không dùng cho loại điều kiện này: %(keys)s.")
                % {"keys": _choice_list(extra)}
            )

    def title(self, key: str) -> None:
        value = self.params.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(_("“%(key)s” phải là mã một danh hiệu (ví dụ “LDTT”).") % {"key": key})
            return
        value = value.strip()
        if self.known_codes is not None and value not in self.known_codes:
            self.error(
                _("Không có danh hiệu, hình thức nào mã “%(code)s” trong danh mục.")
                % {"code": value}
            )
        self.clean[key] = value

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> None:
        if key not in self.params and default is not None:
            self.clean[key] = default
            return
        value = self.params.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.error(
                _("“%(key)s” phải là số nguyên từ %(low)s đến %(high)s.")
                % {"key": key, "low": low, "high": high}
            )
            return
        self.clean[key] = value

    def share(self, key: str) -> None:
        value = self.params.get(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not 0 < value <= 1
        ):
            self.error(
                _(
                    "“%(key)s” phải là một tỷ lệ lớn hơn 0 và không quá 1 "
                    "(ví dụ 0.5 là 50%%, 0.7 là 70%%)."
                )
                % {"key": key}
            )
            return
        self.clean[key] = value

    def boolean(self, key: str, default: bool) -> None:
        value = self.params.get(key, default)
        if not isinstance(value, bool):
            self.error(_("“%(key)s” phải là true hoặc false.") % {"key": key})
            return
        self.clean[key] = value

    def choice(self, key: str, choices: Iterable[str], default: str | None = None) -> None:
        choices = list(choices)
        value = self.params.get(key, default)
        if value not in choices:
            self.error(
                _("“%(key)s” phải là một trong các giá trị: %(choices)s.")
                % {"key": key, "choices": _choice_list(choices)}
            )
            return
        self.clean[key] = value


def _check_achievement(c: _Checker) -> None:
    c.allowed(["any_of", "within_years"])
    c.integer("within_years", 1, 30, default=1)
    alternatives = c.params.get("any_of")
    if not isinstance(alternatives, list) or not alternatives:
        c.error(
            _(
                "“any_of” phải là danh sách các điều kiện thay thế, ví dụ "
                '[{"initiative_scope": "grassroots"}, {"rating": "excellent"}, '
                '{"science_topic": true}].'
            )
        )
        return
    clean = []
    for alternative in alternatives:
        if not isinstance(alternative, dict) or len(alternative) != 1:
            c.error(_("Mỗi điều kiện trong “any_of” phải có đúng một khoá."))
            continue
        ((key, value),) = alternative.items()
        if key == "initiative_scope":
            if value not in _VALUES[Scope]:
                c.error(
                    _("“initiative_scope” phải là một trong: %(choices)s.")
                    % {"choices": _choice_list(_VALUES[Scope])}
                )
                continue
        elif key == "rating":
            if value not in _VALUES[Rating]:
                c.error(
                    _("“rating” phải là một trong: %(choices)s.")
                    % {"choices": _choice_list(_VALUES[Rating])}
                )
                continue
        elif key == "science_topic":
            if value is not True and value not in _VALUES[Scope]:
                c.error(
                    _("“science_topic” phải là true hoặc một phạm vi: %(choices)s.")
                    % {"choices": _choice_list(_VALUES[Scope])}
                )
                continue
        else:
            c.error(
                _(
                    "Điều kiện “%(key)s” không được hỗ trợ; dùng initiative_scope, rating "
                    "hoặc science_topic."
                )
                % {"key": key}
            )
            continue
        clean.append({key: value})
    c.clean["any_of"] = clean


def _schema(kind: str) -> Callable[[_Checker], None]:
    def same_year_title(c: _Checker) -> None:
        c.allowed(["title"])
        c.title("title")

    def consecutive_years(c: _Checker) -> None:
        c.allowed(["title", "years", "include_current", "max_gap"])
        c.title("title")
        c.integer("years", 1, 30)
        c.boolean("include_current", False)
        c.integer("max_gap", 1, 10, default=1)

    def rating(c: _Checker) -> None:
        c.allowed(["min"])
        c.choice("min", _VALUES[Rating])

    def member_share(c: _Checker) -> None:
        c.allowed(["title", "share", "strict"])
        c.title("title")
        c.share("share")
        c.boolean("strict", False)

    def member_count(c: _Checker) -> None:
        c.allowed(["title", "min"])
        c.title("title")
        c.integer("min", 1, 10000)

    def members_complete(c: _Checker) -> None:
        c.allowed(["share", "min_rating"])
        c.share("share")
        c.choice("min_rating", _VALUES[Rating], default=Rating.DONE)

    def no_discipline(c: _Checker) -> None:
        c.allowed(["min_form"])
        c.choice("min_form", _VALUES[DisciplineForm], default=DisciplineForm.REPRIMAND)

    def cap_share(c: _Checker) -> None:
        c.allowed(["of_title", "share"])
        c.title("of_title")
        c.share("share")

    def nothing(c: _Checker) -> None:
        c.allowed([])

    def council_approval(c: _Checker) -> None:
        c.allowed(["share", "secret"])
        c.share("share")
        c.boolean("secret", True)

    return {
        RuleKind.SAME_YEAR_TITLE: same_year_title,
        RuleKind.CONSECUTIVE_YEARS: consecutive_years,
        RuleKind.ACHIEVEMENT: _check_achievement,
        RuleKind.RATING: rating,
        RuleKind.MEMBER_SHARE: member_share,
        RuleKind.MEMBER_COUNT: member_count,
        RuleKind.MEMBERS_COMPLETE: members_complete,
        RuleKind.NO_DISCIPLINE: no_discipline,
        RuleKind.CAP_SHARE: cap_share,
        RuleKind.PRIOR_REGISTRATION: nothing,
        RuleKind.BLOC_LEADING: nothing,
        RuleKind.COUNCIL_APPROVAL: council_approval,
    }[kind]


def validate_params(kind: str, params: Any, known_codes: set[str] | None = None) -> dict[str, Any]:
    """The params of a rule of ``kind``, checked and with defaults filled in.

    Raises ``ValidationError`` with one Vietnamese message per problem. With
    ``known_codes``, title codes must be among them.
    """
    if kind not in _VALUES[RuleKind]:
        raise ValidationError(_("Loại điều kiện “%(kind)s” không tồn tại.") % {"kind": kind})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise ValidationError(
            _('Tham số phải là một đối tượng JSON, ví dụ {"title": "LDTT"}; để trống là {}.')
        )
    checker = _Checker(params, known_codes)
    _schema(kind)(checker)
    if checker.errors:
        raise ValidationError(checker.errors)
    return checker.clean


EXAMPLES: dict[str, str] = {
    RuleKind.SAME_YEAR_TITLE: '{"title": "LDTT"}',
    RuleKind.CONSECUTIVE_YEARS: '{"title": "CSTDCS", "years": 3, "include_current": true}',
    RuleKind.ACHIEVEMENT: (
        '{"any_of": [{"initiative_scope": "grassroots"}, {"rating": "excellent"}, '
        '{"science_topic": true}]}'
    ),
    RuleKind.RATING: '{"min": "good"}',
    RuleKind.MEMBER_SHARE: '{"title": "LDTT", "share": 0.5, "strict": true}',
    RuleKind.MEMBER_COUNT: '{"title": "CSTDCS", "min": 1}',
    RuleKind.MEMBERS_COMPLETE: '{"share": 1.0}',
    RuleKind.NO_DISCIPLINE: '{"min_form": "warning"}',
    RuleKind.CAP_SHARE: '{"of_title": "LDTT", "share": 0.15}',
    RuleKind.PRIOR_REGISTRATION: "{}",
    RuleKind.BLOC_LEADING: "{}",
    RuleKind.COUNCIL_APPROVAL: '{"share": 0.9, "secret": true}',
}


# Wording ----------------------------------------------------------------------------------------


def percent(value: Fraction | float | Decimal) -> str:
    """A share as a Vietnamese percentage: 0.625 → "62,5%", 0.5 → "50%"."""
    fraction = Fraction(value) if not isinstance(value, Fraction) else value
    number = (Decimal(fraction.numerator) * 100 / Decimal(fraction.denominator)).quantize(
        Decimal("0.1")
    )
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return f"{number_format(number, use_l10n=True)}%"


def _share(value: Any) -> Fraction:
    return Fraction(str(value))


def _meets(count: int, total: int, share: Fraction, strict: bool) -> bool:
    if total <= 0:
        return False
    ratio = Fraction(count, total)
    return ratio > share if strict else ratio >= share


def _rating_label(value: str) -> str:
    return str(Rating(value).label)


def _form_label(value: str) -> str:
    return str(DisciplineForm(value).label)


def _scope_label(value: str) -> str:
    return str(Scope(value).label).lower()


def _d(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def _alternative_words(alternative: dict[str, Any]) -> str:
    ((key, value),) = alternative.items()
    if key == "initiative_scope":
        if value == Scope.NATIONAL:
            return _("sáng kiến được công nhận có phạm vi ảnh hưởng toàn quốc")
        return _("sáng kiến được công nhận có phạm vi ảnh hưởng từ %(scope)s trở lên") % {
            "scope": _scope_label(value)
        }
    if key == "rating":
        return _("xếp loại từ “%(rating)s” trở lên") % {"rating": _rating_label(value)}
    if value is True:
        return _("đề tài khoa học được nghiệm thu, áp dụng")
    if value == Scope.NATIONAL:
        return _("đề tài khoa học được nghiệm thu, áp dụng, phạm vi toàn quốc")
    return _("đề tài khoa học được nghiệm thu, áp dụng, phạm vi từ %(scope)s trở lên") % {
        "scope": _scope_label(value)
    }


def describe(kind: str, params: Any, titles: dict[str, str] | None = None) -> str:
    """The rule in words, for the catalogue page."""
    titles = titles or {}
    try:
        p = validate_params(kind, params)
    except ValidationError as error:
        return _("Tham số không hợp lệ: %(errors)s") % {"errors": " ".join(error.messages)}

    def t(code: str) -> str:
        return f"“{titles.get(code, code)}”"

    if kind == RuleKind.SAME_YEAR_TITLE:
        return _("Đạt danh hiệu %(title)s trong cùng năm.") % {"title": t(p["title"])}
    if kind == RuleKind.CONSECUTIVE_YEARS:
        if p["max_gap"] == 1:
            text = _("Có %(n)s năm liên tục đạt %(title)s") % {
                "n": p["years"],
                "title": t(p["title"]),
            }
        else:
            text = _(
                "Có %(n)s lần liên tục đạt %(title)s (hai lần liền nhau cách nhau không quá "
                "%(gap)s năm)"
            ) % {"n": p["years"], "title": t(p["title"]), "gap": p["max_gap"]}
        end = (
            _("lần cuối là chính năm xét")
            if p["include_current"]
            else _("lần cuối là năm liền trước năm xét")
        )
        return _("%(text)s, %(end)s; chỉ tính khen thưởng công trạng chưa bị thu hồi.") % {
            "text": text,
            "end": end,
        }
    if kind == RuleKind.ACHIEVEMENT:
        words = "; ".join(_alternative_words(a) for a in p["any_of"])
        if p["within_years"] == 1:
            return _("Có ít nhất một trong các thành tích trong năm: %(words)s.") % {"words": words}
        return _(
            "Có ít nhất một trong các thành tích trong %(n)s năm tính đến năm xét: %(words)s."
        ) % {"n": p["within_years"], "words": words}
    if kind == RuleKind.RATING:
        return _("Xếp loại từ “%(rating)s” trở lên.") % {"rating": _rating_label(p["min"])}
    if kind == RuleKind.MEMBER_SHARE:
        text = (
            _("Trên %(share)s cá nhân đang công tác của tập thể đạt %(title)s trong năm.")
            if p["strict"]
            else _(
                "Từ %(share)s cá nhân đang công tác của tập thể trở lên đạt %(title)s trong năm."
            )
        )
        return text % {"share": percent(_share(p["share"])), "title": t(p["title"])}
    if kind == RuleKind.MEMBER_COUNT:
        return _("Có ít nhất %(n)s cá nhân của tập thể đạt %(title)s trong năm.") % {
            "n": p["min"],
            "title": t(p["title"]),
        }
    if kind == RuleKind.MEMBERS_COMPLETE:
        return _(
            "Ít nhất %(share)s cá nhân đang công tác của tập thể được xếp loại từ "
            "“%(rating)s” trở lên."
        ) % {"share": percent(_share(p["share"])), "rating": _rating_label(p["min_rating"])}
    if kind == RuleKind.NO_DISCIPLINE:
        return _(
            "Không có ai (cá nhân được xét, hoặc mọi cá nhân của tập thể) bị kỷ luật từ "
            "hình thức “%(form)s” trở lên trong năm."
        ) % {"form": _form_label(p["min_form"])}
    if kind == RuleKind.CAP_SHARE:
        return _(
            "Số được công nhận trong cơ quan không quá %(share)s số %(title)s của cơ quan "
            "trong năm (làm tròn xuống)."
        ) % {"share": percent(_share(p["share"])), "title": t(p["of_title"])}
    if kind == RuleKind.PRIOR_REGISTRATION:
        return _(
            "Đã đăng ký thi đua danh hiệu này từ đầu năm (khi phong trào yêu cầu đăng ký trước)."
        )
    if kind == RuleKind.BLOC_LEADING:
        return _("Được suy tôn là đơn vị dẫn đầu khối thi đua trong năm.")
    # COUNCIL_APPROVAL
    how = _("bỏ phiếu kín") if p["secret"] else _("biểu quyết công khai")
    return _(
        "Được ít nhất %(share)s tổng số thành viên Hội đồng Thi đua – Khen thưởng đồng ý (%(how)s)."
    ) % {"share": percent(_share(p["share"])), "how": how}


# Evaluators -------------------------------------------------------------------------------------

Outcome = tuple[str, str]


def consecutive_run(years: set[int], end: int, max_gap: int = 1) -> list[int]:
    """The years of the unbroken run ending in ``end`` (latest first); empty if ``end`` is not held."""
    if end not in years:
        return []
    run = [end]
    for year in sorted((y for y in years if y < end), reverse=True):
        if run[-1] - year > max_gap:
            break
        run.append(year)
    return run


def _same_year_title(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    code, year = p["title"], n.year
    title = f.title(code)
    if year in f.merit_years(n.key, code):
        return PASS, _("Đã đạt %(title)s năm %(year)s.") % {"title": title, "year": year}
    if f.is_pending(n.key, code, year):
        return UNKNOWN, _(
            "Chưa có quyết định công nhận %(title)s năm %(year)s; đề nghị đang được xét."
        ) % {"title": title, "year": year}
    notes = f.not_counted(n.key, code, [year])
    message = _("Chưa đạt %(title)s năm %(year)s.") % {"title": title, "year": year}
    if notes:
        message += " " + _("Không tính: %(notes)s.") % {"notes": "; ".join(notes)}
    return FAIL, message


def _consecutive_years(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    code, need, gap = p["title"], p["years"], p["max_gap"]
    end = n.year if p["include_current"] else n.year - 1
    title = f.title(code)
    held = {y for y in f.merit_years(n.key, code) if y <= end}
    run = consecutive_run(held, end, gap)
    values = {"n": need, "title": title, "end": end}
    if len(run) >= need:
        values["years"] = _years_list(run[:need])
        if gap == 1:
            return PASS, _("Đạt %(title)s %(n)s năm liên tục: %(years)s.") % values
        return PASS, _("Đạt %(title)s %(n)s lần liên tục: %(years)s.") % values
    window = range(end - (need - 1) * gap, end + 1)
    if (
        p["include_current"]
        and end not in held
        and f.is_pending(n.key, code, end)
        and len(consecutive_run(held | {end}, end, gap)) >= need
    ):
        values["years"] = _years_list(y for y in held if y in window)
        return UNKNOWN, _(
            "Sẽ đủ %(n)s năm liên tục nếu được công nhận %(title)s năm %(end)s (đề nghị đang "
            "được xét); đã có %(years)s."
        ) % values
    shown = sorted(y for y in held if y in window)
    if gap == 1:
        head = _("Chưa đủ %(n)s năm liên tục đạt %(title)s") % values
    else:
        head = _("Chưa đủ %(n)s lần liên tục đạt %(title)s") % values
    if not p["include_current"]:
        head += _(" tính đến năm %(end)s") % values
    if shown:
        message = _("%(head)s: chỉ có %(years)s.") % {"head": head, "years": _years_list(shown)}
    else:
        message = _("%(head)s: không có năm nào từ %(first)s đến %(end)s.") % {
            "head": head,
            "first": window[0],
            "end": end,
        }
    notes = f.not_counted(n.key, code, window)
    if notes:
        message += " " + _("Không tính: %(notes)s.") % {"notes": "; ".join(notes)}
    return FAIL, message


def _achievement(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    year, within = n.year, p["within_years"]
    first = year - within + 1
    initiatives = [i for i in f.initiatives.get(n.key, ()) if first <= i.year <= year]
    rating = f.ratings.get((n.key, year))
    rating_missing = False
    period = (
        _("năm %(year)s") % {"year": year}
        if within == 1
        else _("từ %(first)s đến %(year)s") % {"first": first, "year": year}
    )
    for alternative in p["any_of"]:
        ((key, value),) = alternative.items()
        if key == "rating":
            if rating is None:
                rating_missing = True
            elif RATING_RANK[rating] >= RATING_RANK[value]:
                return PASS, _("Năm %(year)s được xếp loại “%(rating)s”.") % {
                    "year": year,
                    "rating": _rating_label(rating),
                }
            continue
        wanted_kind = (
            InitiativeKind.INITIATIVE if key == "initiative_scope" else InitiativeKind.SCIENCE_TOPIC
        )
        floor = SCOPE_RANK.get(value, 0)
        found = [i for i in initiatives if i.kind == wanted_kind and SCOPE_RANK[i.scope] >= floor]
        if found:
            best = max(found, key=lambda i: (SCOPE_RANK[i.scope], i.year))
            template = (
                _("Có sáng kiến “%(name)s” được công nhận năm %(year)s, phạm vi %(scope)s.")
                if wanted_kind == InitiativeKind.INITIATIVE
                else _(
                    "Có đề tài khoa học “%(name)s” được nghiệm thu năm %(year)s, phạm vi %(scope)s."
                )
            )
            return PASS, template % {
                "name": best.title,
                "year": best.year,
                "scope": _scope_label(best.scope),
            }
    words = "; ".join(_alternative_words(a) for a in p["any_of"])
    if rating_missing:
        return UNKNOWN, _(
            "Chưa có kết quả xếp loại năm %(year)s, và không có thành tích thay thế nào "
            "%(period)s (cần một trong: %(words)s)."
        ) % {"year": year, "period": period, "words": words}
    message = _("Không có thành tích nào %(period)s trong số: %(words)s.") % {
        "period": period,
        "words": words,
    }
    if initiatives:
        message += " " + _("Đã có: %(items)s.") % {
            "items": "; ".join(
                f"“{i.title}” ({i.year}, {_scope_label(i.scope)})" for i in initiatives
            )
        }
    return FAIL, message


def _rating(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    rating = f.ratings.get((n.key, n.year))
    values = {"year": n.year, "min": _rating_label(p["min"])}
    if rating is None:
        return UNKNOWN, _("Chưa có kết quả xếp loại năm %(year)s (cần từ “%(min)s” trở lên).") % (
            values
        )
    values["rating"] = _rating_label(rating)
    if RATING_RANK[rating] >= RATING_RANK[p["min"]]:
        return PASS, _("Năm %(year)s được xếp loại “%(rating)s”.") % values
    return FAIL, _(
        "Năm %(year)s chỉ được xếp loại “%(rating)s”; cần từ “%(min)s” trở lên."
    ) % values


def _collective_only(n: Nominee) -> Outcome | None:
    if n.is_collective:
        return None
    return UNKNOWN, _("Điều kiện này chỉ áp dụng khi xét cho tập thể.")


def _holders(p: dict[str, Any], n: Nominee, f: Facts) -> tuple[list[int], int, int]:
    """(active members, how many hold the title that year, how many more are being proposed)."""
    members = f.members.get(n.unit_id or 0, [])
    code, year = p["title"], n.year
    held = sum(1 for m in members if year in f.merit_years(("p", m), code))
    pending = sum(
        1
        for m in members
        if year not in f.merit_years(("p", m), code) and f.is_pending(("p", m), code, year)
    )
    return members, held, pending


def _no_members(n: Nominee) -> Outcome:
    return UNKNOWN, _("Tập thể chưa có danh sách cá nhân đang công tác nên chưa tính được tỷ lệ.")


def _member_share(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    if (outcome := _collective_only(n)) is not None:
        return outcome
    members, held, pending = _holders(p, n, f)
    if not members:
        return _no_members(n)
    share, strict = _share(p["share"]), p["strict"]
    values = {
        "held": held,
        "total": len(members),
        "percent": percent(Fraction(held, len(members))),
        "title": f.title(p["title"]),
        "year": n.year,
        "need": (_("trên %(share)s") if strict else _("từ %(share)s trở lên"))
        % {"share": percent(share)},
        "pending": pending,
    }
    if _meets(held, len(members), share, strict):
        return PASS, _(
            "%(held)s/%(total)s cá nhân (%(percent)s) đạt %(title)s năm %(year)s; cần %(need)s."
        ) % values
    if pending and _meets(held + pending, len(members), share, strict):
        return UNKNOWN, _(
            "Mới %(held)s/%(total)s cá nhân (%(percent)s) đạt %(title)s năm %(year)s, "
            "%(pending)s người đang được đề nghị; cần %(need)s."
        ) % values
    return FAIL, _(
        "Chỉ %(held)s/%(total)s cá nhân (%(percent)s) đạt %(title)s năm %(year)s; cần %(need)s."
    ) % values


def _member_count(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    if (outcome := _collective_only(n)) is not None:
        return outcome
    _members, held, pending = _holders(p, n, f)
    values = {
        "held": held,
        "min": p["min"],
        "title": f.title(p["title"]),
        "year": n.year,
        "pending": pending,
    }
    if held >= p["min"]:
        return PASS, ngettext(
            "%(held)s cá nhân đạt %(title)s năm %(year)s (cần ít nhất %(min)s).",
            "%(held)s cá nhân đạt %(title)s năm %(year)s (cần ít nhất %(min)s).",
            held,
        ) % values
    if pending and held + pending >= p["min"]:
        return UNKNOWN, _(
            "Mới %(held)s cá nhân đạt %(title)s năm %(year)s, %(pending)s người đang được "
            "đề nghị; cần ít nhất %(min)s."
        ) % values
    if held == 0:
        return FAIL, _(
            "Không có cá nhân nào đạt %(title)s năm %(year)s; cần ít nhất %(min)s."
        ) % values
    return FAIL, _("Chỉ %(held)s cá nhân đạt %(title)s năm %(year)s; cần ít nhất %(min)s.") % (
        values
    )


def _members_complete(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    if (outcome := _collective_only(n)) is not None:
        return outcome
    members = f.members.get(n.unit_id or 0, [])
    if not members:
        return _no_members(n)
    floor = RATING_RANK[p["min_rating"]]
    ratings = [f.ratings.get((("p", m), n.year)) for m in members]
    done = sum(1 for r in ratings if r is not None and RATING_RANK[r] >= floor)
    unrated = sum(1 for r in ratings if r is None)
    share = _share(p["share"])
    values = {
        "done": done,
        "total": len(members),
        "percent": percent(Fraction(done, len(members))),
        "rating": _rating_label(p["min_rating"]),
        "year": n.year,
        "need": percent(share),
        "unrated": unrated,
    }
    if _meets(done, len(members), share, strict=False):
        return PASS, _(
            "%(done)s/%(total)s cá nhân (%(percent)s) được xếp loại từ “%(rating)s” trở lên năm "
            "%(year)s; cần %(need)s."
        ) % values
    if unrated and _meets(done + unrated, len(members), share, strict=False):
        return UNKNOWN, _(
            "%(done)s/%(total)s cá nhân được xếp loại từ “%(rating)s” trở lên năm %(year)s, "
            "%(unrated)s người chưa có kết quả xếp loại; cần %(need)s."
        ) % values
    return FAIL, _(
        "Chỉ %(done)s/%(total)s cá nhân (%(percent)s) được xếp loại từ “%(rating)s” trở lên "
        "năm %(year)s; cần %(need)s."
    ) % values


def _no_discipline(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    floor = DISCIPLINE_SEVERITY[p["min_form"]]
    first, last = datetime.date(n.year, 1, 1), datetime.date(n.year, 12, 31)
    people = f.everyone.get(n.unit_id or 0, []) if n.is_collective else [n.person_id or 0]
    found = [
        d
        for person in people
        for d in f.discipline.get(person, ())
        if DISCIPLINE_SEVERITY[d.form] >= floor
        and d.start <= last
        and (d.end is None or d.end >= first)
    ]
    values = {"form": _form_label(p["min_form"]), "year": n.year}
    if not found:
        if n.is_collective:
            return PASS, _(
                "Không có cá nhân nào bị kỷ luật từ hình thức “%(form)s” trở lên trong năm %(year)s."
            ) % values
        return PASS, _("Không bị kỷ luật từ hình thức “%(form)s” trở lên trong năm %(year)s.") % (
            values
        )

    def words(d: DisciplineFact) -> str:
        period = (
            _("từ %(start)s") % {"start": _d(d.start)}
            if d.end is None
            else _("từ %(start)s đến %(end)s") % {"start": _d(d.start), "end": _d(d.end)}
        )
        return f"{_form_label(d.form)} {period}"

    found.sort(key=lambda d: (d.person_name, d.start))
    if n.is_collective:
        return FAIL, _(
            "Có cá nhân bị kỷ luật từ hình thức “%(form)s” trở lên trong năm %(year)s: %(list)s."
        ) % {**values, "list": "; ".join(f"{d.person_name} ({words(d)})" for d in found)}
    return FAIL, _("Bị kỷ luật trong năm %(year)s: %(list)s.") % {
        **values,
        "list": "; ".join(words(d) for d in found),
    }


def _cap_share(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    code, of_code, year = n.award_type_code, p["of_title"], n.year
    share = _share(p["share"])
    awarded = f.cap_awarded.get((n.body_path, year, code), 0)
    competing = f.cap_pending.get((n.body_path, year, code), 0)
    if not n.counted_in_pending:
        competing += 1
    base = f.cap_awarded.get((n.body_path, year, of_code), 0)
    base_pending = f.cap_pending.get((n.body_path, year, of_code), 0)
    cap = math.floor(share * base)
    values = {
        "share": percent(share),
        "of": f.title(of_code),
        "base": base,
        "cap": cap,
        "awarded": awarded,
        "competing": competing,
        "year": year,
    }
    if base + base_pending == 0:
        return UNKNOWN, _(
            "Chưa có ai được công nhận hay đề nghị %(of)s năm %(year)s trong cơ quan nên chưa "
            "tính được giới hạn %(share)s."
        ) % values
    if awarded + competing <= cap:
        return PASS, _(
            "Trong giới hạn %(share)s số %(of)s năm %(year)s (%(base)s người): tối đa %(cap)s, "
            "đã công nhận %(awarded)s, đang đề nghị %(competing)s (kể cả đề nghị này)."
        ) % values
    if awarded + 1 > math.floor(share * (base + base_pending)):
        return FAIL, _(
            "Đã hết chỉ tiêu: tối đa %(share)s số %(of)s năm %(year)s (%(base)s người) là "
            "%(cap)s, đã công nhận %(awarded)s."
        ) % values
    return UNKNOWN, _(
        "Số đề nghị vượt giới hạn %(share)s số %(of)s năm %(year)s: tối đa %(cap)s, đã công "
        "nhận %(awarded)s, đang đề nghị %(competing)s; Hội đồng cần lựa chọn."
    ) % values


def _prior_registration(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    title = f.title(n.award_type_code)
    values = {"title": title, "year": n.year, "campaign": n.campaign_name}
    if n.campaign_id is not None and not n.campaign_requires_registration:
        return PASS, _("Phong trào “%(campaign)s” không yêu cầu đăng ký trước.") % values
    entries = [
        r
        for r in f.registrations.get(n.key, ())
        if r.year == n.year
        and r.award_type_id == n.award_type_id
        and (n.campaign_id is None or r.campaign_id == n.campaign_id)
    ]
    good = [r for r in entries if r.status in REGISTERED_STATUSES]
    if good:
        return PASS, _("Đã đăng ký %(title)s năm %(year)s.") % values
    if entries:
        statuses = ", ".join(sorted({str(RegistrationStatus(r.status).label) for r in entries}))
        return FAIL, _(
            "Có đăng ký %(title)s năm %(year)s nhưng bản đăng ký chưa được gửi hoặc bị trả "
            "lại (%(statuses)s)."
        ) % {**values, "statuses": statuses}
    if n.campaign_id is not None:
        return FAIL, _(
            "Không đăng ký %(title)s năm %(year)s trong phong trào “%(campaign)s”."
        ) % values
    return FAIL, _("Không đăng ký %(title)s năm %(year)s.") % values


def _bloc_leading(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    if (outcome := _collective_only(n)) is not None:
        return outcome
    blocs = f.acclamations.get((n.unit_id or 0, n.year), [])
    if blocs:
        return PASS, _("Được suy tôn dẫn đầu %(blocs)s năm %(year)s.") % {
            "blocs": ", ".join(sorted(blocs)),
            "year": n.year,
        }
    return FAIL, _("Không được suy tôn dẫn đầu khối thi đua nào năm %(year)s.") % {"year": n.year}


def _council_approval(p: dict[str, Any], n: Nominee, f: Facts) -> Outcome:
    rule_share = _share(p["share"])
    how = _("bỏ phiếu kín") if p["secret"] else _("biểu quyết công khai")
    tally = f.council.get(n.nomination_id or 0)
    if tally is None:
        return UNKNOWN, _(
            "Cần ít nhất %(share)s tổng số thành viên Hội đồng Thi đua – Khen thưởng đồng ý "
            "(%(how)s); Hội đồng chưa bỏ phiếu."
        ) % {"share": percent(rule_share), "how": how}
    if tally.sealed:
        return UNKNOWN, _(
            "Cần ít nhất %(share)s tổng số thành viên Hội đồng Thi đua – Khen thưởng đồng ý "
            "(%(how)s); Hội đồng đang bỏ phiếu kín, kết quả chỉ được công bố khi kết thúc bỏ "
            "phiếu."
        ) % {"share": percent(rule_share), "how": how}
    share = _share(tally.required_share) if tally.required_share is not None else rule_share
    values = {
        "agree": tally.agree,
        "members": tally.members,
        "percent": percent(Fraction(tally.agree, tally.members)) if tally.members else "0%",
        "share": percent(share),
        "date": _d(tally.held_on),
    }
    if _meets(tally.agree, tally.members, share, strict=False):
        return PASS, _(
            "Phiên họp ngày %(date)s: %(agree)s/%(members)s thành viên đồng ý (%(percent)s); "
            "cần từ %(share)s."
        ) % values
    return FAIL, _(
        "Phiên họp ngày %(date)s: chỉ %(agree)s/%(members)s thành viên đồng ý (%(percent)s); "
        "cần từ %(share)s."
    ) % values


EVALUATORS: dict[str, Callable[[dict[str, Any], Nominee, Facts], Outcome]] = {
    RuleKind.SAME_YEAR_TITLE: _same_year_title,
    RuleKind.CONSECUTIVE_YEARS: _consecutive_years,
    RuleKind.ACHIEVEMENT: _achievement,
    RuleKind.RATING: _rating,
    RuleKind.MEMBER_SHARE: _member_share,
    RuleKind.MEMBER_COUNT: _member_count,
    RuleKind.MEMBERS_COMPLETE: _members_complete,
    RuleKind.NO_DISCIPLINE: _no_discipline,
    RuleKind.CAP_SHARE: _cap_share,
    RuleKind.PRIOR_REGISTRATION: _prior_registration,
    RuleKind.BLOC_LEADING: _bloc_leading,
    RuleKind.COUNCIL_APPROVAL: _council_approval,
}


def prepare(kind: str, params: Any) -> tuple[dict[str, Any] | None, Outcome | None]:
    """Validate a rule's params once: (clean params, None) or (None, the "unknown" outcome)."""
    try:
        return validate_params(kind, params), None
    except ValidationError as error:
        return None, (
            UNKNOWN,
            _("Điều kiện được cấu hình sai, chưa kiểm tra được: %(errors)s")
            % {"errors": " ".join(error.messages)},
        )


def evaluate(kind: str, params: Any, nominee: Nominee, facts: Facts) -> Outcome:
    """Evaluate one rule; params that do not validate give "unknown" with the reason."""
    clean, refused = prepare(kind, params)
    if clean is None:
        return refused  # type: ignore[return-value]
    return EVALUATORS[kind](clean, nominee, facts)
