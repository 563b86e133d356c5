"""Eligibility checks: the rules of the catalogue applied to a nominee for a year.

This is the interface the rest of the app codes against:

- :func:`check` — a person or a collective, a title or form, a year (and the
  campaign, for prior registration): an :class:`EligibilityReport`.
- :func:`check_nomination` — the same for a nomination (its round gives the
  campaign and the body whose caps apply); stores the result on the nomination.
- :func:`check_batch` — many nominations at once. The number of queries does not
  grow with the batch: every fact the rules read (ratings, award history,
  initiatives, discipline, registrations, members, acclamations, caps, council
  tallies) is fetched for the whole batch in one query per kind of fact.

The rule set applied is the one in force for the award year
(``RuleSet.in_force``: the latest that took effect by the year's end); each rule
is interpreted by ``awards.rules`` and gives pass / fail / unknown with the
reason in plain Vietnamese and its legal basis.
"""

from __future__ import annotations

import datetime
import json
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    F,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from campaigns.errors import DomainError
from campaigns.models import Campaign, Person, Unit
from pledges.models import Acclamation

from . import rules
from .models import (
    AgendaItem,
    AwardRecord,
    AwardRound,
    AwardType,
    Ballot,
    Choice,
    CouncilSession,
    DisciplineRecord,
    Initiative,
    Nomination,
    NominationStatus,
    Registration,
    RegistrationEntry,
    Rule,
    RuleKind,
    RuleSet,
    SecretCount,
    SessionStatus,
    Subject,
    TaskRating,
    Track,
)

PASS, FAIL, UNKNOWN = rules.PASS, rules.FAIL, rules.UNKNOWN

STATUS_LABELS = {
    PASS: gettext_lazy("Đạt"),
    FAIL: gettext_lazy("Không đạt"),
    UNKNOWN: gettext_lazy("Chưa xác định"),
}

# Nominations still in play: a nominee proposed for a title the rule depends on is
# "cannot tell yet", not "fails". Drafts count (they are filled in together).
LIVE_STATUSES = (
    NominationStatus.DRAFT,
    NominationStatus.SUBMITTED,
    NominationStatus.RETURNED,
    NominationStatus.ACCEPTED,
    NominationStatus.VOTED,
    NominationStatus.APPROVED,
)
# Nominations competing for a capped title: sent up and not yet decided or rejected.
COMPETING_STATUSES = LIVE_STATUSES[1:]
# The council has voted on these: COUNCIL_APPROVAL is evaluated on the tally.
VOTED_STATUSES = (
    NominationStatus.VOTED,
    NominationStatus.APPROVED,
    NominationStatus.REJECTED,
    NominationStatus.DECIDED,
)


@dataclass
class RuleResult:
    kind: str
    status: str  # "pass" | "fail" | "unknown"
    message: str
    legal_basis: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "status": self.status,
            "message": self.message,
            "legal_basis": self.legal_basis,
        }


@dataclass
class EligibilityReport:
    award_type: AwardType
    year: int
    rule_set: RuleSet | None
    results: list[RuleResult] = field(default_factory=list)

    @property
    def overall(self) -> str:
        """ "pass" if every rule passes, "fail" if any fails, else "unknown"."""
        return _overall(self.results)

    @property
    def overall_before_vote(self) -> str:
        """The overall result leaving out the council's approval, which waits for the vote."""
        return _overall(
            [
                r
                for r in self.results
                if not (r.kind == RuleKind.COUNCIL_APPROVAL and r.status == UNKNOWN)
            ]
        )

    @property
    def overall_label(self) -> str:
        return str(STATUS_LABELS[self.overall])

    def as_json(self) -> dict[str, Any]:
        rule_set = None
        if self.rule_set is not None:
            rule_set = {
                "id": self.rule_set.pk,
                "effective_from": self.rule_set.effective_from.isoformat(),
                "legal_basis": self.rule_set.legal_basis,
            }
        return {
            "award_type": self.award_type.code,
            "year": self.year,
            "overall": self.overall,
            "rule_set": rule_set,
            "results": [r.as_json() for r in self.results],
        }


def _overall(results: list[RuleResult]) -> str:
    statuses = {r.status for r in results}
    if FAIL in statuses:
        return FAIL
    if statuses <= {PASS}:
        return PASS
    return UNKNOWN


# Public API -------------------------------------------------------------------------------------


def check(
    *,
    award_type: AwardType,
    year: int,
    person: Person | None = None,
    unit: Unit | None = None,
    campaign: Campaign | None = None,
) -> EligibilityReport:
    """Check a person or a collective (exactly one) for a title or form in a year."""
    if (person is None) == (unit is None):
        raise DomainError(_("Cần chọn đúng một cá nhân hoặc một tập thể để kiểm tra điều kiện."))
    nominee = rules.Nominee(
        award_type_id=award_type.pk,
        award_type_code=award_type.code,
        year=int(year),
        person_id=person.pk if person is not None else None,
        unit_id=unit.pk if unit is not None else None,
    )
    if campaign is not None:
        nominee.campaign_id = campaign.pk
        nominee.campaign_name = str(campaign)
        nominee.campaign_requires_registration = campaign.requires_registration
    _resolve_paths([nominee])
    return _evaluate([nominee])[0]


def check_nomination(nomination: Nomination) -> EligibilityReport:
    """Check one nomination and store the result in ``eligibility`` with the time of the check."""
    report = _check_nominations([nomination])[0]
    nomination.eligibility = report.as_json()
    nomination.eligibility_checked_at = timezone.now()
    if nomination.pk is not None:
        Nomination.objects.filter(pk=nomination.pk).update(
            eligibility=nomination.eligibility,
            eligibility_checked_at=nomination.eligibility_checked_at,
        )
    return report


def check_batch(
    nominations: Iterable[Nomination], *, store: bool = False
) -> dict[int, EligibilityReport]:
    """Check many nominations in a number of queries that does not grow with their number.

    Returns the reports by nomination id. With ``store``, also writes each result
    to its nomination (one statement per 2,000 nominations).
    """
    nominations = [n for n in nominations if n.pk is not None]
    reports = _check_nominations(nominations)
    by_id = {n.pk: r for n, r in zip(nominations, reports, strict=True)}
    if store and nominations:
        now = timezone.now()
        for nomination in nominations:
            nomination.eligibility = by_id[nomination.pk].as_json()
            nomination.eligibility_checked_at = now
        Nomination.objects.bulk_update(
            nominations, ["eligibility", "eligibility_checked_at"], batch_size=2000
        )
    return by_id


def _check_nominations(nominations: list[Nomination]) -> list[EligibilityReport]:
    if not nominations:
        return []
    nominees = [
        rules.Nominee(
            award_type_id=n.award_type_id,
            award_type_code="",
            year=int(n.year),
            person_id=n.person_id,
            unit_id=n.unit_id if n.person_id is None else None,
            nomination_id=n.pk,
            counted_in_pending=n.status in COMPETING_STATUSES,
            voted=n.status in VOTED_STATUSES,
        )
        for n in nominations
    ]
    # One query reads the nominee's unit path and the round's body and campaign as stored
    # (and, on PostgreSQL, the catalogue's token: see ``_catalogue``); a nomination
    # changed in memory since (or not saved) is looked up from its fields.
    rows = Nomination.objects.filter(_in("pk", [n.pk for n in nominations if n.pk])).order_by()
    token: str | None = UNREAD
    with_token = connection.vendor == "postgresql"
    if with_token:
        rows = rows.annotate(catalogue_token=RawSQL(_token_sql(), ()))  # noqa: S611 - no input
    stored = {}
    for row in rows.values_list(
        "pk",
        "person_id",
        "unit_id",
        "round_id",
        "person__unit__path",
        "unit__path",
        "round__body__path",
        "round__campaign_id",
        "round__campaign__name",
        "round__campaign__short_name",
        "round__campaign__requires_registration",
        *(["catalogue_token"] if with_token else []),
    ):
        stored[row[0]] = row[1:11]
        if with_token:
            token = row[11]
    stale: list[tuple[Nomination, rules.Nominee]] = []
    for nomination, nominee in zip(nominations, nominees, strict=True):
        row = stored.get(nomination.pk)
        if row is None or row[:3] != (
            nomination.person_id,
            nomination.unit_id,
            nomination.round_id,
        ):
            stale.append((nomination, nominee))
            continue
        nominee.path = (row[3] if nominee.person_id else row[4]) or ""
        _take_round(nominee, row[5:])
    if stale:
        _resolve_stale(stale)
    return _evaluate(nominees, token)


def _take_round(nominee: rules.Nominee, info: tuple[Any, ...] | None) -> None:
    """The round's body (whose caps apply) and campaign (whose registration rule applies)."""
    if info is None or not info[0]:
        nominee.body_path = _top_path(nominee.path)
        nominee.counted_in_pending = False  # counted as one more, not among the round's
        return
    body_path, campaign_id, name, short_name, requires = info
    nominee.body_path = body_path
    if campaign_id is not None:
        nominee.campaign_id = campaign_id
        nominee.campaign_name = short_name or name
        nominee.campaign_requires_registration = bool(requires)


def _resolve_stale(pairs: list[tuple[Nomination, rules.Nominee]]) -> None:
    rounds = {n.round_id for n, _ in pairs if n.round_id}
    info = {
        row[0]: row[1:]
        for row in AwardRound.objects.filter(_in("pk", rounds))
        .order_by()
        .values_list(
            "pk",
            "body__path",
            "campaign_id",
            "campaign__name",
            "campaign__short_name",
            "campaign__requires_registration",
        )
    }
    nominees = [nominee for _, nominee in pairs]
    _resolve_paths(nominees)
    for nomination, nominee in pairs:
        _take_round(nominee, info.get(nomination.round_id))


class _AnyOf(Lookup):
    """``column = ANY(array)``: a PostgreSQL array is one parameter, and unlike
    ``IN (SELECT unnest(…))`` the planner can still combine index scans with OR."""

    lookup_name = "awards_any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return self.rhs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]


def _in(field_name: str, ids: Iterable[int], *, always: bool = False) -> Q:
    """``field__in=ids`` for a batch of any size.

    Django prepares every id of a list on its own, which for 10,000 ids costs more than
    the query itself, and SQLite limits the number of parameters: a long list is sent as
    ONE parameter instead (a PostgreSQL array, a JSON array on SQLite). With ``always``
    the list is sent that way even when short or empty, so that the query runs even
    for no ids (Django skips a query filtered by an empty ``__in``).
    """
    ids = sorted({int(i) for i in ids})
    if len(ids) < 100 and not always:
        return Q(**{f"{field_name}__in": ids})
    if connection.vendor == "postgresql":
        return Q(_AnyOf(F(field_name), ids))
    return Q(**{f"{field_name}__in": RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))})


# Evaluation -------------------------------------------------------------------------------------


def _top_path(path: str) -> str:
    parts = [p for p in path.strip("/").split("/") if p]
    return f"/{parts[0]}/" if parts else ""


def _resolve_paths(nominees: list[rules.Nominee]) -> None:
    """Fill each nominee's unit path, and the top unit above it as the body whose caps apply."""
    people = {n.person_id for n in nominees if n.person_id}
    units = {n.unit_id for n in nominees if n.unit_id}
    person_paths = dict(
        Person.objects.filter(_in("pk", people)).order_by().values_list("pk", "unit__path")
        if people
        else []
    )
    unit_paths = dict(
        Unit.objects.filter(_in("pk", units)).order_by().values_list("pk", "path") if units else []
    )
    for n in nominees:
        n.path = (person_paths if n.person_id else unit_paths).get(
            n.person_id or n.unit_id or 0, ""
        ) or ""
        n.body_path = _top_path(n.path)


# The catalogue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Catalogue:
    """The award types, their rule sets and enabled rules, as read at one moment."""

    token: str | None
    types: dict[int, AwardType]
    rule_sets: dict[int, list[RuleSet]]  # by award type, the latest to take effect first
    rules_of: dict[int, list[Rule]]  # the enabled rules of each set, in order
    # Each rule's params validated once: (language, rule id) → ``rules.prepare``'s result.
    prepared: dict[tuple[str | None, int], tuple[dict[str, Any] | None, Any]] = field(
        default_factory=dict
    )

    def in_force(self, award_type_id: int, year: int) -> RuleSet | None:
        """As ``RuleSet.in_force``: the latest set that took effect by the year's end."""
        end = datetime.date(year, 12, 31)
        return next(
            (s for s in self.rule_sets.get(award_type_id, ()) if s.effective_from <= end), None
        )


def _token_sql() -> str:
    """One value that changes whenever a row of the catalogue's tables is written.

    In PostgreSQL every version of a row has its own ``(ctid, xmin)``: an INSERT or
    UPDATE writes a new version (a new place in the table, and the writing
    transaction's id), a DELETE removes one. So the digest of all of them changes
    with any write, whichever process or connection made it, including a raw UPDATE
    or a data migration that sends no signal; a rolled-back write leaves it as it was.
    """
    # Only the models' own table names go into the text.
    parts = " UNION ALL ".join(
        f"SELECT '{tag}' || ctid::text || xmin::text AS v FROM {model._meta.db_table}"  # noqa: S608
        for tag, model in (("t", AwardType), ("s", RuleSet), ("r", Rule))
    )
    return f"SELECT md5(string_agg(v, ',' ORDER BY v)) FROM ({parts}) AS catalogue_rows"  # noqa: S608


_cached: _Catalogue | None = None
UNREAD = ""  # a token not read yet (a digest is never empty)


def _catalogue_token() -> str | None:
    """The catalogue's current token (PostgreSQL), or None where it cannot be read cheaply."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(_token_sql())
        return cursor.fetchone()[0]


def _catalogue(token: str | None = UNREAD) -> _Catalogue:
    """The catalogue, kept per process while its token is unchanged.

    ``token`` is the one a query of the check has already read (see ``_token_sql``);
    if ``UNREAD``, it is read on its own. Types, rule sets and rules are then read only
    when a write changed them since: checking one nomination does not re-read a
    catalogue that changes a few times a year. Elsewhere than PostgreSQL (tests on
    SQLite) there is no token (None) and nothing is kept: the three queries run every
    time.
    """
    global _cached
    if token == UNREAD:
        token = _catalogue_token()
    cached = _cached
    if token is not None and cached is not None and cached.token == token:
        return cached
    types = {t.pk: t for t in AwardType.objects.order_by()}
    rule_sets: dict[int, list[RuleSet]] = defaultdict(list)
    for rule_set in RuleSet.objects.order_by("award_type_id", "-effective_from"):
        rule_sets[rule_set.award_type_id].append(rule_set)
    rules_of: dict[int, list[Rule]] = defaultdict(list)
    for rule in Rule.objects.filter(is_enabled=True).order_by("rule_set_id", "order", "pk"):
        rules_of[rule.rule_set_id].append(rule)
    snapshot = _Catalogue(token, types, dict(rule_sets), dict(rules_of))
    if token is not None:
        _cached = snapshot
    return snapshot


def _evaluate(nominees: list[rules.Nominee], token: str | None = UNREAD) -> list[EligibilityReport]:
    catalogue = _catalogue(token)
    types = catalogue.types
    for n in nominees:
        n.award_type_code = types[n.award_type_id].code
    in_force = {
        key: catalogue.in_force(*key) for key in {(n.award_type_id, n.year) for n in nominees}
    }
    plans: list[list[Rule]] = [
        catalogue.rules_of.get(rule_set.pk, []) if rule_set is not None else []
        for rule_set in (in_force[(n.award_type_id, n.year)] for n in nominees)
    ]
    facts = _load_facts(nominees, plans, types)
    with rules.wording():
        language = get_language()
        prepared = {pk: v for (lang, pk), v in catalogue.prepared.items() if lang == language}
        reports = [
            _report(
                n,
                plan,
                types[n.award_type_id],
                in_force[(n.award_type_id, n.year)],
                facts,
                prepared,
            )
            for n, plan in zip(nominees, plans, strict=True)
        ]
        catalogue.prepared.update({(language, pk): v for pk, v in prepared.items()})
    return reports


def _report(
    n: rules.Nominee,
    plan: list[Rule],
    award_type: AwardType,
    rule_set: RuleSet | None,
    facts: rules.Facts,
    prepared: dict[int, tuple[dict[str, Any] | None, Any]],
) -> EligibilityReport:
    """The results of one nominee: sanity checks, then each enabled rule of the set in force."""
    report = EligibilityReport(award_type=award_type, year=n.year, rule_set=rule_set)
    if n.is_collective and award_type.subject == Subject.INDIVIDUAL:
        report.results.append(
            RuleResult(
                "subject",
                FAIL,
                _("“%(title)s” chỉ xét tặng cho cá nhân, không xét cho tập thể.")
                % {"title": award_type.name},
                "",
            )
        )
    elif not n.is_collective and award_type.subject == Subject.COLLECTIVE:
        report.results.append(
            RuleResult(
                "subject",
                FAIL,
                _("“%(title)s” chỉ xét tặng cho tập thể, không xét cho cá nhân.")
                % {"title": award_type.name},
                "",
            )
        )
    if rule_set is None:
        report.results.append(
            RuleResult(
                "rule_set",
                UNKNOWN,
                _(
                    "Chưa có bộ tiêu chuẩn nào của “%(title)s” có hiệu lực cho năm %(year)s; "
                    "cần bổ sung vào danh mục trước khi kiểm tra."
                )
                % {"title": award_type.name, "year": n.year},
                "",
            )
        )
    elif not plan:
        report.results.append(
            RuleResult(
                "rule_set",
                UNKNOWN,
                _(
                    "Bộ tiêu chuẩn áp dụng từ %(date)s không có điều kiện nào kiểm tra tự "
                    "động được; Hội đồng xét theo hồ sơ."
                )
                % {"date": date_format(rule_set.effective_from, "d/m/Y")},
                rule_set.legal_basis,
            )
        )
    for rule in plan:
        if rule.pk not in prepared:
            prepared[rule.pk] = rules.prepare(rule.kind, rule.params)
        clean, refused = prepared[rule.pk]
        status, message = (
            rules.EVALUATORS[rule.kind](clean, n, facts) if clean is not None else refused
        )
        report.results.append(
            RuleResult(rule.kind, status, message, rule.legal_basis or rule_set.legal_basis)
        )
    return report


# Facts ------------------------------------------------------------------------------------------


def _any_of(field_name: str, prefixes: Iterable[str]) -> Q:
    return reduce(operator.or_, (Q(**{f"{field_name}__startswith": p}) for p in prefixes))


def _outermost(paths: Iterable[str]) -> list[str]:
    """The paths not inside another one of them (a subtree query needs only those)."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(p) for p in result):
            result.append(path)
    return result


def _load_members(facts: rules.Facts, collectives: dict[int, str]) -> None:
    """Everyone of each collective's subtree, and who of them is still working there."""
    collectives = {pk: path for pk, path in collectives.items() if path}
    if not collectives:
        return
    by_path: dict[str, list[int]] = defaultdict(list)
    for pk, path in collectives.items():
        by_path[path].append(pk)
        facts.members.setdefault(pk, [])
        facts.everyone.setdefault(pk, [])
    rows = Person.objects.filter(_any_of("unit__path", _outermost(collectives.values())))
    for person_id, path, active in rows.order_by().values_list("pk", "unit__path", "is_active"):
        parts = [p for p in path.strip("/").split("/") if p]
        for depth in range(len(parts)):
            for collective in by_path.get("/" + "/".join(parts[: depth + 1]) + "/", ()):
                facts.everyone[collective].append(person_id)
                if active:
                    facts.members[collective].append(person_id)


def _union(*parts: QuerySet[Any] | None) -> list[tuple[Any, ...]]:
    """The rows of the given querysets (None left out) in ONE query (UNION ALL).

    The facts of people and of collectives live in different tables: one query for
    both keeps the number of queries the same whether a batch holds people,
    collectives or both.
    """
    queries = [q.order_by() for q in parts if q is not None]
    if not queries:
        return []
    first, *others = queries
    return list(first.union(*others, all=True)) if others else list(first)


def _ids(nominees: Iterable[rules.Nominee], collective: bool) -> set[int]:
    return {
        (n.unit_id if collective else n.person_id) or 0
        for n in nominees
        if n.is_collective == collective
    }


def _load_facts(
    nominees: list[rules.Nominee], plans: list[list[Rule]], types: dict[int, AwardType]
) -> rules.Facts:
    facts = rules.Facts(titles={t.code: t.name for t in types.values()})
    code_of = {pk: t.code for pk, t in types.items()}
    needing: dict[str, list[rules.Nominee]] = defaultdict(list)
    params_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, plan in zip(nominees, plans, strict=True):
        for rule in plan:
            needing[rule.kind].append(n)
            if isinstance(rule.params, dict):
                params_of[rule.kind].append(rule.params)
    if not needing:
        return facts
    years = sorted({n.year for n in nominees})
    K = RuleKind

    # Members of the collectives whose rules look at their people.
    member_rules = needing[K.MEMBER_SHARE] + needing[K.MEMBER_COUNT] + needing[K.MEMBERS_COMPLETE]
    collectives = {
        n.unit_id: n.path for n in member_rules + needing[K.NO_DISCIPLINE] if n.is_collective
    }
    _load_members(facts, collectives)  # type: ignore[arg-type]

    def members_of(group: list[rules.Nominee]) -> set[int]:
        return {m for n in group if n.is_collective for m in facts.members.get(n.unit_id or 0, ())}

    # Award history and nominations in play.
    history = needing[K.SAME_YEAR_TITLE] + needing[K.CONSECUTIVE_YEARS]
    history_people, history_units = _ids(history, False), _ids(history, True)
    title_members = members_of(needing[K.MEMBER_SHARE] + needing[K.MEMBER_COUNT])
    if history_people or history_units or title_members:
        # Awards and live nominations in one query (UNION ALL), told apart by a tag.
        awarded = AwardRecord.objects.filter(
            _in("person_id", history_people)
            | _in("unit_id", history_units)
            | (_in("person_id", title_members) & Q(year__in=years))
        ).values_list(
            Value("a"), "person_id", "unit_id", "award_type_id", "year", "track", "revoked_on"
        )
        in_play = Nomination.objects.filter(
            _in("person_id", history_people | title_members) | _in("unit_id", history_units),
            status__in=LIVE_STATUSES,
            year__in=years,
        ).values_list(
            Value("n"),
            "person_id",
            "unit_id",
            "award_type_id",
            "year",
            Value(""),
            Value(None, output_field=DateField()),
        )
        for tag, person_id, unit_id, type_id, year, track, revoked_on in _union(awarded, in_play):
            key = ("p", person_id) if person_id else ("u", unit_id)
            if tag == "a":
                facts.awards.setdefault(key, []).append(
                    rules.AwardFact(code_of[type_id], year, track, revoked_on is not None)
                )
            else:
                facts.pending.setdefault(key, set()).add((code_of[type_id], year))

    # Task ratings.
    rated = needing[K.RATING] + needing[K.ACHIEVEMENT]
    rated_people = _ids(rated, False) | members_of(needing[K.MEMBERS_COMPLETE])
    rated_units = _ids(rated, True)
    if rated_people or rated_units:
        rows = (
            TaskRating.objects.filter(
                _in("person_id", rated_people) | _in("unit_id", rated_units),
                year__in=years,
            )
            .order_by()
            .values_list("person_id", "unit_id", "year", "rating")
        )
        for person_id, unit_id, year, rating in rows:
            key = ("p", person_id) if person_id else ("u", unit_id)
            facts.ratings[(key, year)] = rating

    # Initiatives and science topics.
    if needing[K.ACHIEVEMENT]:
        within = max(
            (p.get("within_years", 1) for p in params_of[K.ACHIEVEMENT]),
            default=1,
        )
        within = within if isinstance(within, int) and 0 < within <= 30 else 30
        span = {"year__gte": years[0] - within + 1, "year__lte": years[-1]}
        people = _ids(needing[K.ACHIEVEMENT], False)
        units = _ids(needing[K.ACHIEVEMENT], True)
        rows = _union(
            Initiative.authors.through.objects.filter(
                _in("person_id", people),
                **{f"initiative__{k}": v for k, v in span.items()},
            ).values_list(
                Value("p"),
                "person_id",
                "initiative__kind",
                "initiative__scope",
                "initiative__year",
                "initiative__title",
            )
            if people
            else None,
            Initiative.objects.filter(_in("unit_id", units), **span).values_list(
                Value("u"), "unit_id", "kind", "scope", "year", "title"
            )
            if units
            else None,
        )
        for side, holder, kind, scope, year, title in rows:
            facts.initiatives.setdefault((side, holder), []).append(
                rules.InitiativeFact(kind, scope, year, title)
            )

    # Discipline overlapping the years.
    if needing[K.NO_DISCIPLINE]:
        people = _ids(needing[K.NO_DISCIPLINE], False) | {
            m
            for n in needing[K.NO_DISCIPLINE]
            if n.is_collective
            for m in facts.everyone.get(n.unit_id or 0, ())
        }
        if people:
            rows = (
                DisciplineRecord.objects.filter(
                    _in("person_id", people), start_date__lte=datetime.date(years[-1], 12, 31)
                )
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(years[0], 1, 1)))
                .order_by()
                .values_list("person_id", "person__full_name", "form", "start_date", "end_date")
            )
            for person_id, name, form, start, end in rows:
                facts.discipline.setdefault(person_id, []).append(
                    rules.DisciplineFact(person_id, name, form, start, end)
                )

    # Registrations.
    if needing[K.PRIOR_REGISTRATION]:
        people = _ids(needing[K.PRIOR_REGISTRATION], False)
        units = _ids(needing[K.PRIOR_REGISTRATION], True)
        rows = _union(
            RegistrationEntry.objects.filter(
                _in("person_id", people), registration__year__in=years
            ).values_list(
                Value("p"),
                "person_id",
                "registration__year",
                "registration__campaign_id",
                "award_type_id",
                "registration__status",
            )
            if people
            else None,
            Registration.objects.filter(_in("unit_id", units), year__in=years).values_list(
                Value("u"), "unit_id", "year", "campaign_id", "collective_title_id", "status"
            )
            if units
            else None,
        )
        for side, holder, year, campaign_id, type_id, status in rows:
            facts.registrations.setdefault((side, holder), []).append(
                rules.RegistrationFact(year, campaign_id, type_id, status)
            )

    # Acclamations as a bloc's leading unit.
    units = _ids(needing[K.BLOC_LEADING], True)
    if units:
        rows = (
            Acclamation.objects.filter(_in("member_id", units), bloc_year__year__in=years)
            .order_by()
            .values_list(
                "member_id",
                "bloc_year__year",
                "bloc_year__bloc__name",
                "bloc_year__bloc__short_name",
            )
        )
        for unit_id, year, name, short_name in rows:
            facts.acclamations.setdefault((unit_id, year), []).append(short_name or name)

    if needing[K.CAP_SHARE]:
        _load_caps(facts, needing[K.CAP_SHARE], params_of[K.CAP_SHARE], types, years)

    if needing[K.COUNCIL_APPROVAL]:
        # Read even when no nomination of the batch has been voted on yet: the number of
        # queries depends on the rules applied, not on how far the nominations got.
        voted = {
            n.nomination_id for n in needing[K.COUNCIL_APPROVAL] if n.voted and n.nomination_id
        }
        _load_tallies(facts, voted)
    return facts


def _load_caps(
    facts: rules.Facts,
    nominees: list[rules.Nominee],
    params: list[dict[str, Any]],
    types: dict[int, AwardType],
    years: list[int],
) -> None:
    """Per body and year, how many hold (merit, not revoked) and compete for the capped titles."""
    codes = {n.award_type_code for n in nominees} | {
        p["of_title"] for p in params if isinstance(p.get("of_title"), str)
    }
    type_ids = {pk for pk, t in types.items() if t.code in codes}
    code_of = {pk: t.code for pk, t in types.items()}
    bodies = _outermost(n.body_path for n in nominees if n.body_path)
    all_bodies = {n.body_path for n in nominees if n.body_path}
    if not bodies or not type_ids:
        return
    rows = (
        AwardRecord.objects.filter(
            award_type_id__in=type_ids,
            year__in=years,
            revoked_on__isnull=True,
            track=Track.MERIT,
        )
        .filter(_any_of("person__unit__path", bodies) | _any_of("unit__path", bodies))
        .values("person__unit__path", "unit__path", "award_type_id", "year")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        holder = row["person__unit__path"] or row["unit__path"] or ""
        for body in all_bodies:
            if holder.startswith(body):
                key = (body, row["year"], code_of[row["award_type_id"]])
                facts.cap_awarded[key] = facts.cap_awarded.get(key, 0) + row["count"]
    rows = (
        Nomination.objects.filter(
            award_type_id__in=type_ids,
            year__in=years,
            status__in=COMPETING_STATUSES,
            round__body__path__in=all_bodies,
        )
        .values("round__body__path", "award_type_id", "year")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        key = (row["round__body__path"], row["year"], code_of[row["award_type_id"]])
        facts.cap_pending[key] = row["count"]


def _load_tallies(facts: rules.Facts, nomination_ids: set[int]) -> None:
    """The latest council vote on each nomination: agreeing votes over all members.

    One query: each agenda item with its counts as correlated subqueries (a join to both
    ballots and members would multiply one by the other). An open item's named ballots
    are counted as they come; a secret item's count is read only once its session is
    closed: until then the tally is sealed (no count read) and the rule cannot tell.
    """
    agree = (
        Ballot.objects.filter(item=OuterRef("pk"), choice=Choice.AGREE)
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    secret_agree = SecretCount.objects.filter(
        item=OuterRef("pk"), choice=Choice.AGREE, item__session__status=SessionStatus.CLOSED
    ).values("count")[:1]
    members = (
        CouncilSession.members.through.objects.filter(councilsession_id=OuterRef("session_id"))
        .order_by()
        .values("councilsession_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    items = (
        AgendaItem.objects.filter(_in("nomination_id", nomination_ids, always=True))
        .annotate(
            agree=Coalesce(Subquery(agree), 0) + Coalesce(Subquery(secret_agree), 0),
            members=Coalesce(Subquery(members), 0),
        )
        .order_by("session__held_on", "pk")
        .values_list(
            "nomination_id",
            "required_share",
            "session__held_on",
            "agree",
            "members",
            "secret",
            "session__status",
        )
    )
    for nomination_id, share, held_on, agreeing, count, secret, status in items:  # latest wins
        sealed = secret and status != SessionStatus.CLOSED
        facts.council[nomination_id] = rules.CouncilTally(
            agree=0 if sealed else agreeing,
            members=count,
            required_share=share,
            held_on=held_on,
            sealed=sealed,
        )
