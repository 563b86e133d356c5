"""``manage.py seed_scale_awards``: national-scale award data on top of ``seed_scale``.

On the 3,000 units and 300,000 people of ``manage.py seed_scale`` (codes ``SC-``;
the command refuses without them) it builds, deterministically
(``random.Random(4242)``):

- 1,500,000 award records over ten years (2015–2024): mostly "Lao động tiên tiến"
  and "Chiến sĩ thi đua cơ sở" for people (each person has a propensity, so some
  hold long consecutive runs and some none), a few forms (Giấy khen, Bằng khen,
  Kỷ niệm chương), CSTĐ bộ after three consecutive CSTĐCS, collective titles for
  units; tracks mostly merit, about 0.1 % revoked. Marked by a decision number
  starting ``SC-`` and ``is_imported`` (they stand for history from before the
  system);
- task ratings of every person and unit for 2024 and 2025 (the years the
  nominations are checked for), consistent with the 2024 awards;
- initiatives (recognition number ``SC-``) of some CSTĐCS holders, 2020–2025;
- a few discipline records (decision ``SC-``);
- an award round per body for 2024 (closed, mostly decided) and for 2025 (open,
  statuses spread over the workflow), names starting ``SC-``, holding 200,000
  nominations in all;
- the yearly registrations (no campaign) of the units whose people or collectives
  are nominated: nine nominations in ten were registered for beforehand (the person
  in their unit's list, a collective as the unit's title), mostly approved, so that
  the prior-registration rule passes and fails as in a real round.

History rows (django-simple-history) are written for the 50 rounds only: the bulk
rows stand for imported history and generated workload, and
``bulk_create_with_history`` would double the time of a run already minutes long.
Rows are written in batches of 5,000: model instances built as for ``bulk_create``
(which is used on other databases), sent to PostgreSQL with ``COPY … FROM STDIN``,
several times faster than ``bulk_create``'s INSERTs at this size; then the tables
are VACUUM ANALYZEd so that a benchmark can run straight after.

``--reset`` first deletes exactly the rows this command wrote (the markers above,
and the ratings and the 2024–2025 yearly registrations of ``SC-`` people and units);
a second run without it refuses.
"""

from __future__ import annotations

import datetime
import io
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from awards.models import (
    AwardRecord,
    AwardRound,
    AwardType,
    DisciplineForm,
    DisciplineRecord,
    Initiative,
    InitiativeKind,
    Nomination,
    NominationStatus,
    Rating,
    Registration,
    RegistrationEntry,
    RegistrationStatus,
    Scope,
    TaskRating,
    Track,
)
from campaigns.models import Person, Unit

PREFIX = "SC-"
SEED = 4242
BATCH_SIZE = 5000
RECORDS = 1_500_000
NOMINATIONS = 200_000
FIRST_YEAR, LAST_YEAR = 2015, 2024
RATING_YEARS = (2024, 2025)
ROUND_YEARS = (2024, 2025)
# Share of the nominations in the closed 2024 rounds; the rest are in the open 2025 ones.
SHARE_2024 = 0.3
INITIATIVE_SHARE = 0.4  # of the CSTĐCS holders of 2020–2024, one initiative each
DISCIPLINE = 2000

STATUSES_2024 = (
    [NominationStatus.DECIDED, NominationStatus.REJECTED, NominationStatus.APPROVED],
    [85, 10, 5],
)
STATUSES_2025 = (
    [
        NominationStatus.DRAFT,
        NominationStatus.SUBMITTED,
        NominationStatus.RETURNED,
        NominationStatus.ACCEPTED,
        NominationStatus.VOTED,
        NominationStatus.APPROVED,
        NominationStatus.REJECTED,
    ],
    [15, 30, 10, 20, 10, 10, 5],
)
# Share of the nominations whose nominee was registered for the title beforehand, and
# the registrations' statuses (only submitted and approved ones count as registered).
REGISTERED_SHARE = 0.9
REGISTRATION_STATUSES = (
    [
        RegistrationStatus.APPROVED,
        RegistrationStatus.SUBMITTED,
        RegistrationStatus.RETURNED,
        RegistrationStatus.DRAFT,
    ],
    [80, 12, 5, 3],
)
SUMMARIES = [
    "Hoàn thành xuất sắc nhiệm vụ chuyên môn được giao, chủ động tham mưu nhiều văn bản.",
    "Có sáng kiến cải tiến quy trình giải quyết hồ sơ, rút ngắn thời gian xử lý.",
    "Gương mẫu chấp hành kỷ luật, kỷ cương hành chính; tích cực tham gia phong trào thi đua.",
    "Đi đầu trong chuyển đổi số, ứng dụng công nghệ thông tin vào công việc.",
]
INITIATIVE_TITLES = [
    "Cải tiến quy trình tiếp nhận và trả kết quả hồ sơ",
    "Số hóa hồ sơ lưu trữ của đơn vị",
    "Ứng dụng chữ ký số trong văn bản nội bộ",
    "Giải pháp tiết kiệm chi phí văn phòng phẩm",
    "Xây dựng cơ sở dữ liệu cán bộ, công chức",
    "Đổi mới cách tổ chức hội nghị trực tuyến",
]


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu khen thưởng quy mô quốc gia (1.500.000 khen thưởng, 200.000 đề nghị) "
        "trên dữ liệu của seed_scale. Chạy lại cần --reset."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xóa dữ liệu khen thưởng do lệnh này tạo trước đó rồi tạo lại.",
        )
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Chỉ xóa dữ liệu do lệnh này tạo (không tạo lại).",
        )
        parser.add_argument(
            "--records",
            type=int,
            default=RECORDS,
            help="Số khen thưởng (mặc định 1.500.000).",
        )
        parser.add_argument(
            "--nominations",
            type=int,
            default=NOMINATIONS,
            help="Số đề nghị khen thưởng (mặc định 200.000).",
        )

    def handle(
        self, *args: Any, reset: bool, delete: bool, records: int, nominations: int, **options: Any
    ) -> None:
        started = time.perf_counter()
        if not Unit.objects.filter(code__startswith=PREFIX, parent__isnull=True).exists():
            raise CommandError(
                "Chưa có dữ liệu của seed_scale (đơn vị mã 'SC-'): chạy manage.py seed_scale trước."
            )
        if _already_seeded() and not (reset or delete):
            raise CommandError(
                "Dữ liệu khen thưởng quy mô lớn đã có. Chạy lại với --reset để xóa và tạo lại."
            )
        if reset or delete:
            with self._step("xóa dữ liệu cũ"):
                _reset()
            if delete:
                return
        types = dict(AwardType.objects.values_list("code", "pk"))
        missing = {"LDTT", "CSTDCS", "CSTD_BO", "TTLDTT", "TTLDXS", "CO_BO"} - set(types)
        if missing:
            raise CommandError(f"Danh mục thiếu các mã {sorted(missing)} (migrate awards).")
        rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not secrets
        world = _World.load()
        with transaction.atomic():
            _skip_foreign_key_triggers()
            with self._step(f"{records:,} khen thưởng, xếp loại {RATING_YEARS}"):
                plan = _create_records(rng, world, types, records)
            with self._step("sáng kiến, kỷ luật"):
                _create_initiatives(rng, world, plan)
                _create_discipline(rng, world)
            with self._step(f"{len(world.bodies) * len(ROUND_YEARS)} đợt, {nominations:,} đề nghị"):
                nominees = _create_nominations(rng, world, types, plan, nominations)
            with self._step("đăng ký thi đua của các đơn vị"):
                _create_registrations(rng, world, nominees)
        # PostgreSQL cannot VACUUM inside a transaction (a test's, or a caller's atomic block).
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with self._step("VACUUM ANALYZE"), connection.cursor() as cursor:
                for model in (
                    AwardRecord,
                    TaskRating,
                    Initiative,
                    Initiative.authors.through,
                    DisciplineRecord,
                    AwardRound,
                    Nomination,
                    Registration,
                    RegistrationEntry,
                ):
                    cursor.execute(
                        f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}"
                    )
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong trong {time.perf_counter() - started:.1f} s: "
                f"{AwardRecord.objects.filter(decision_number__startswith=PREFIX).count():,} "
                f"khen thưởng, "
                f"{Nomination.objects.filter(round__name__startswith=PREFIX).count():,} đề nghị."
            )
        )

    @contextmanager
    def _step(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.stdout.write(f"  {label}: {time.perf_counter() - started:.1f} s")
        self.stdout.flush()


def _skip_foreign_key_triggers() -> None:
    """Within the load's transaction, skip the per-row foreign-key triggers on PostgreSQL.

    Every id written comes from rows read just before, so the checks cannot fail; queued
    until the commit (Django's constraints are deferred) they cost more than the COPY
    itself. Needs a superuser (as the benchmark database has); otherwise the checks run.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _already_seeded() -> bool:
    return (
        AwardRound.objects.filter(name__startswith=PREFIX).exists()
        or AwardRecord.objects.filter(decision_number__startswith=PREFIX).exists()
    )


def _fast_delete(queryset: QuerySet[Any]) -> None:
    """One DELETE statement, no per-row signals (and no "deleted" history rows)."""
    queryset._raw_delete(queryset.db)


def _reset() -> None:
    """Delete every row this command wrote, and nothing else."""
    with transaction.atomic():
        rounds = AwardRound.objects.filter(name__startswith=PREFIX)
        round_ids = list(rounds.values_list("pk", flat=True))
        _fast_delete(Nomination.objects.filter(round_id__in=round_ids))
        _fast_delete(rounds)
        _fast_delete(AwardRound.history.filter(id__in=round_ids))
        _fast_delete(AwardRecord.objects.filter(decision_number__startswith=PREFIX))
        initiatives = Initiative.objects.filter(recognition__startswith=PREFIX)
        _fast_delete(Initiative.authors.through.objects.filter(initiative__in=initiatives))
        _fast_delete(initiatives)
        _fast_delete(DisciplineRecord.objects.filter(decision__startswith=PREFIX))
        _fast_delete(
            TaskRating.objects.filter(person__staff_code__startswith=PREFIX, year__in=RATING_YEARS)
        )
        _fast_delete(
            TaskRating.objects.filter(unit__code__startswith=PREFIX, year__in=RATING_YEARS)
        )
        registrations = Registration.objects.filter(
            unit__code__startswith=PREFIX, year__in=ROUND_YEARS, campaign__isnull=True
        )
        _fast_delete(RegistrationEntry.objects.filter(registration__in=registrations))
        _fast_delete(registrations)


class _World:
    """The seeded people and units: ids, units, bodies."""

    people: list[tuple[int, int]]  # (person id, unit id), by id
    unit_depth: dict[int, int]
    unit_parent: dict[int, int | None]
    body_of_unit: dict[int, int]
    bodies: list[int]
    units: list[int]

    @classmethod
    def load(cls) -> _World:
        world = cls()
        rows = list(
            Unit.objects.filter(code__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", "path", "depth", "parent_id")
        )
        world.units = [pk for pk, _path, _depth, _parent in rows]
        world.unit_depth = {pk: depth for pk, _path, depth, _parent in rows}
        world.unit_parent = {pk: parent for pk, _path, _depth, parent in rows}
        world.body_of_unit = {pk: int(path.strip("/").split("/")[0]) for pk, path, _d, _p in rows}
        world.bodies = [pk for pk, _path, depth, _parent in rows if depth == 0]
        world.people = list(
            Person.objects.filter(staff_code__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", "unit_id")
        )
        return world


class _Plan:
    """What the record pass decided, for the passes after it."""

    def __init__(self) -> None:
        self.propensity: dict[int, float] = {}
        self.held_2024: list[tuple[int, str]] = []  # (person, code) awarded in 2024
        self.cstdcs_holders: list[tuple[int, int]] = []  # (person, year), 2020–2024
        self.cstdcs_years: dict[int, set[int]] = defaultdict(set)


def _flush(model: type[Model], rows: list[Model], *, force: bool = False) -> None:
    """Write the pending rows once there are a batch of them (or, with ``force``, any)."""
    if rows and (force or len(rows) >= BATCH_SIZE):
        if connection.vendor == "postgresql":
            _copy(model, rows)
        else:
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        rows.clear()


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _copy(model: type[Model], rows: list[Model]) -> None:
    """The rows of one batch through ``COPY … FROM STDIN``, as ``bulk_create`` would insert them.

    The same model instances, the same columns (every concrete field but the primary
    key; ``auto_now_add`` filled in), but four to five times faster at this size than
    ``bulk_create``'s multi-row INSERTs, which spend most of their time building and
    parsing the statement.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    buffer = io.StringIO()
    for row in rows:
        values = []
        for f in fields:
            value = getattr(row, f.attname)
            if value is None and getattr(f, "auto_now_add", False):
                value = now
            values.append(_copy_value(value))
        buffer.write("\t".join(values))
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def _decision(year: int, body: int, n: int) -> tuple[str, datetime.date]:
    return f"{PREFIX}{n:04d}/QĐ-{body}-{year}", datetime.date(year + 1, 1 + n % 3, 1 + n % 28)


def _record(
    type_id: int,
    year: int,
    body: int,
    rng: random.Random,
    *,
    person: int | None = None,
    unit: int | None = None,
    track: str = Track.MERIT,
) -> AwardRecord:
    number, date = _decision(year, body, rng.randrange(1, 400))
    record = AwardRecord(
        award_type_id=type_id,
        person_id=person,
        unit_id=unit,
        year=year,
        track=track,
        decision_number=number,
        decision_date=date,
        is_imported=True,
        issuing_body_id=body,
    )
    if rng.random() < 0.001:
        record.revoked_on = date + datetime.timedelta(days=200)
        record.revocation_decision = f"{PREFIX}TH-{number}"
        record.revocation_reason = "Phát hiện kê khai thành tích không đúng sự thật."
    return record


def _create_records(rng: random.Random, world: _World, types: dict[str, int], target: int) -> _Plan:
    plan = _Plan()
    rows: list[Model] = []
    ratings: list[Model] = []
    created = 0
    years = range(FIRST_YEAR, LAST_YEAR + 1)

    # Collective titles: teams and divisions (TTLĐTT, some TTLĐXS), departments'
    # flags (Cờ thi đua), and some collective Bằng khen.
    for unit in world.units:
        depth, body = world.unit_depth[unit], world.body_of_unit[unit]
        strength = rng.uniform(0.2, 0.95)
        for year in years:
            if depth >= 2 and rng.random() < strength:
                code = "TTLDXS" if rng.random() < 0.25 * strength else "TTLDTT"
                rows.append(_record(types[code], year, body, rng, unit=unit))
            elif depth == 1 and rng.random() < 0.12:
                rows.append(_record(types["CO_BO"], year, body, rng, unit=unit))
            if depth <= 2 and "BK_BO_TT" in types and rng.random() < 0.05:
                rows.append(_record(types["BK_BO_TT"], year, body, rng, unit=unit))
        for year in RATING_YEARS:
            rating = Rating.EXCELLENT if rng.random() < strength * 0.6 else Rating.GOOD
            ratings.append(TaskRating(unit_id=unit, year=year, rating=rating))
        _flush(AwardRecord, rows)
    _flush(AwardRecord, rows, force=True)
    created = AwardRecord.objects.filter(decision_number__startswith=PREFIX).count()

    # People, in id order, until the target: each person has a propensity, so that
    # consecutive runs of titles happen as they do (the same people year after year).
    ldtt, cstdcs, cstd_bo = types["LDTT"], types["CSTDCS"], types["CSTD_BO"]
    forms = [(types[c], c) for c in ("GIAY_KHEN", "BK_BO") if c in types]
    for person, unit in world.people:
        body = world.body_of_unit[unit]
        p = rng.uniform(0.05, 0.8)
        plan.propensity[person] = p
        run = 0  # consecutive CSTĐCS years up to this one
        awarded_2024: set[str] = set()
        for year in years:
            if created >= target:
                break
            if rng.random() < p:
                rows.append(_record(ldtt, year, body, rng, person=person))
                created += 1
                if year == LAST_YEAR:
                    awarded_2024.add("LDTT")
                if rng.random() < 0.25 * p:
                    rows.append(_record(cstdcs, year, body, rng, person=person))
                    created += 1
                    run += 1
                    plan.cstdcs_years[person].add(year)
                    if year >= 2020:
                        plan.cstdcs_holders.append((person, year))
                    if year == LAST_YEAR:
                        awarded_2024.add("CSTDCS")
                    if run >= 3 and run % 3 == 0 and rng.random() < 0.5:
                        rows.append(_record(cstd_bo, year, body, rng, person=person))
                        created += 1
                else:
                    run = 0
            else:
                run = 0
            if forms and rng.random() < 0.013:
                type_id, code = forms[0] if rng.random() < 0.75 else forms[-1]
                track = (
                    Track.MERIT if rng.random() < 0.8 else rng.choice([Track.THEMATIC, Track.ADHOC])
                )
                rows.append(_record(type_id, year, body, rng, person=person, track=track))
                created += 1
        plan.held_2024 += [(person, code) for code in sorted(awarded_2024)]
        # Ratings of 2024 agree with its awards; 2025 follows the propensity.
        rating_2024 = (
            Rating.EXCELLENT
            if "CSTDCS" in awarded_2024
            else Rating.GOOD
            if awarded_2024
            else rng.choice([Rating.GOOD, Rating.DONE, Rating.DONE, Rating.NOT_DONE])
        )
        roll = rng.random()
        rating_2025 = (
            Rating.EXCELLENT
            if roll < p * 0.3
            else Rating.GOOD
            if roll < 0.3 + p * 0.6
            else Rating.DONE
            if roll < 0.97
            else Rating.NOT_DONE
        )
        ratings.append(TaskRating(person_id=person, year=2024, rating=rating_2024))
        ratings.append(TaskRating(person_id=person, year=2025, rating=rating_2025))
        _flush(AwardRecord, rows)
        _flush(TaskRating, ratings)
    # Short of the target (people ran out first): commemorative medals, by service.
    knc = types.get("KNC", ldtt)
    while created < target:
        person, unit = world.people[rng.randrange(len(world.people))]
        rows.append(
            _record(
                knc,
                rng.choice(years),
                world.body_of_unit[unit],
                rng,
                person=person,
                track=Track.SERVICE,
            )
        )
        created += 1
        _flush(AwardRecord, rows)
    _flush(AwardRecord, rows, force=True)
    _flush(TaskRating, ratings, force=True)
    return plan


def _create_initiatives(rng: random.Random, world: _World, plan: _Plan) -> None:
    unit_of = dict(world.people)
    chosen = [h for h in plan.cstdcs_holders if rng.random() < INITIATIVE_SHARE]
    initiatives = []
    authors: list[list[int]] = []
    for n, (person, year) in enumerate(chosen, start=1):
        roll = rng.random()
        scope = (
            Scope.GRASSROOTS if roll < 0.85 else Scope.MINISTRY if roll < 0.98 else Scope.NATIONAL
        )
        initiatives.append(
            Initiative(
                kind=InitiativeKind.INITIATIVE
                if rng.random() < 0.9
                else InitiativeKind.SCIENCE_TOPIC,
                title=f"{rng.choice(INITIATIVE_TITLES)} ({n})",
                unit_id=unit_of[person],
                year=year,
                scope=scope,
                recognition=f"{PREFIX}{n:06d}/QĐ-SK",
                recognised_on=datetime.date(year, 11, 1 + n % 28),
            )
        )
        coauthors = [person]
        if rng.random() < 0.3:
            coauthors.append(world.people[rng.randrange(len(world.people))][0])
        authors.append(coauthors)
    initiatives = Initiative.objects.bulk_create(initiatives, batch_size=BATCH_SIZE)
    through = Initiative.authors.through
    links = [
        through(initiative_id=i.pk, person_id=p)
        for i, people in zip(initiatives, authors, strict=True)
        for p in sorted(set(people))
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)


def _create_discipline(rng: random.Random, world: _World) -> None:
    rows = []
    for n in range(DISCIPLINE):
        person, _unit = world.people[rng.randrange(len(world.people))]
        start = datetime.date(rng.randint(2018, 2025), rng.randint(1, 12), rng.randint(1, 28))
        rows.append(
            DisciplineRecord(
                person_id=person,
                form=rng.choice(
                    [DisciplineForm.REPRIMAND, DisciplineForm.REPRIMAND, DisciplineForm.WARNING]
                ),
                start_date=start,
                end_date=start + datetime.timedelta(days=365),
                decision=f"{PREFIX}{n + 1:05d}/QĐ-KL",
            )
        )
    DisciplineRecord.objects.bulk_create(rows, batch_size=BATCH_SIZE)


# (year, person, collective, award type) of each nomination made.
Nominee = tuple[int, int | None, int | None, int]


def _create_nominations(
    rng: random.Random, world: _World, types: dict[str, int], plan: _Plan, total: int
) -> list[Nominee]:
    names = dict(Unit.objects.filter(pk__in=world.bodies).values_list("pk", "name"))
    rounds = []
    for year in ROUND_YEARS:
        for body in world.bodies:
            rounds.append(
                AwardRound(
                    body_id=body,
                    name=f"{PREFIX}{year}: Khen thưởng công trạng năm {year} – {names[body]}",
                    year=year,
                    nomination_deadline=datetime.date(year + 1, 1, 15),
                    is_open=year == ROUND_YEARS[-1],
                )
            )
    rounds = bulk_create_with_history(rounds, AwardRound, batch_size=BATCH_SIZE)
    round_of = {(r.year, r.body_id): r.pk for r in rounds}
    unit_of = dict(world.people)
    submitted = datetime.datetime(2025, 11, 20, 9, 0, tzinfo=datetime.UTC)
    rows: list[Model] = []
    nominees: list[Nominee] = []
    made = 0

    def add(
        year: int, status: str, type_id: int, *, person: int | None = None, unit: int | None = None
    ) -> None:
        nonlocal made
        proposing = unit_of[person] if person else world.unit_parent[unit] or unit  # type: ignore[index]
        rows.append(
            Nomination(
                round_id=round_of[(year, world.body_of_unit[proposing])],
                proposing_unit_id=proposing,
                award_type_id=type_id,
                person_id=person,
                unit_id=unit,
                year=year,
                achievement_summary=rng.choice(SUMMARIES),
                status=status,
                submitted_at=None
                if status == NominationStatus.DRAFT
                else submitted.replace(year=year + 1 if year < 2025 else year),
            )
        )
        nominees.append((year, person, unit, type_id))
        made += 1
        _flush(Nomination, rows)

    # 2024, closed: the titles awarded that year (decided), some rejected or left approved.
    quota_2024 = int(total * SHARE_2024)
    held = plan.held_2024[:]
    rng.shuffle(held)
    for person, code in held[:quota_2024]:
        status = rng.choices(*STATUSES_2024)[0]
        add(2024, status, types[code], person=person)
    # 2025, open: collectives (teams and divisions), then people, each once per title.
    collective = [u for u in world.units if world.unit_depth[u] >= 2]
    for unit in rng.sample(collective, min(len(collective), total // 80)):
        code = "TTLDXS" if rng.random() < 0.2 else "TTLDTT"
        add(2025, rng.choices(*STATUSES_2025)[0], types[code], unit=unit)
    people = [pk for pk, _unit in world.people]
    rng.shuffle(people)
    for person in people:
        if made >= total:
            break
        status = rng.choices(*STATUSES_2025)[0]
        add(2025, status, types["LDTT"], person=person)
        p = plan.propensity.get(person, 0.1)
        years = plan.cstdcs_years.get(person, set())
        if made < total and rng.random() < 0.5 * p:
            add(2025, status, types["CSTDCS"], person=person)
            if made < total and {2023, 2024} <= years:
                add(2025, status, types["CSTD_BO"], person=person)
    _flush(Nomination, rows, force=True)
    return nominees


def _create_registrations(rng: random.Random, world: _World, nominees: list[Nominee]) -> None:
    """Each unit's yearly registration: its people's titles and its own collective title."""
    unit_of = dict(world.people)
    units: dict[tuple[int, int], int | None] = {}  # (unit, year) -> collective title
    entries: dict[tuple[int, int, int, int], None] = {}  # (unit, year, person, type), in order
    for year, person, unit, type_id in nominees:
        if rng.random() >= REGISTERED_SHARE:
            continue
        if person is not None:
            units.setdefault((unit_of[person], year), None)
            entries[(unit_of[person], year, person, type_id)] = None
        else:
            units[(unit, year)] = type_id
    registrations = [
        Registration(
            unit_id=unit,
            year=year,
            collective_title_id=title,
            status=rng.choices(*REGISTRATION_STATUSES)[0],
        )
        for (unit, year), title in units.items()
    ]
    Registration.objects.bulk_create(registrations, batch_size=BATCH_SIZE)
    registration_of = {(r.unit_id, r.year): r.pk for r in registrations}
    rows: list[Model] = []
    for unit, year, person, type_id in entries:
        rows.append(
            RegistrationEntry(
                registration_id=registration_of[(unit, year)],
                person_id=person,
                award_type_id=type_id,
            )
        )
        _flush(RegistrationEntry, rows)
    _flush(RegistrationEntry, rows, force=True)
