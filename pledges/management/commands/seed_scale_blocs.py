"""``manage.py seed_scale_blocs``: the blocs stage of the national-scale data set.

``manage.py seed_scale`` runs it after the units (or alone with ``--blocs``); it
lives in the pledges app because campaigns imports none of the other apps.

On the units ``seed_scale`` wrote (codes ``SC-``) it builds 120 blocs with 5 to
40 current members each: 4 blocs of bodies (central level) sharing the 25
bodies, and 116 blocs of units inside one body, organised by that body, whose
members are drawn from the body's departments, divisions and teams (no unit in
two blocs of its body). Every bloc has ten years, 2016-2025, each with its
leader, one or two deputies and the rotating flag's hand-over; one pledge per
year with 5-8 commitments, fully signed by every member on the ceremony day;
and for the latest year a scoring table (4 groups, 12 criteria, 100 points)
with every member's self-scores and every member's cross-scores of every other
member, at the bloc meeting stage (one final score set by the meeting).

The first bloc is the benchmark bloc: 40 members inside the first body (the one
``bench.hr`` is HR staff of, so that user sees and manages it). Every fifth
internal bloc also has a former member that left in 2019.

Rows are written with bulk_create; their "created" history rows are copied by
the database (see ``_write_history``), except for the scores (see
``_create_scoring``). Rows are marked by the bloc's short name, ``SC-K001``...;
``--reset`` deletes exactly those blocs and everything under them (and their
history) first. Everything random comes from ``random.Random(4242)``.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from campaigns.management.commands.seed_scale import (
    FAMILY,
    FAMILY_CUM_WEIGHTS,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
)
from campaigns.models import Unit
from campaigns.text import fold
from pledges.models import (
    Acclamation,
    Bloc,
    BlocLevel,
    BlocMembership,
    BlocSecretariat,
    BlocYear,
    Commitment,
    Criterion,
    CriterionGroup,
    CrossScore,
    FinalScore,
    Pledge,
    PledgeAmendment,
    PledgeDocument,
    PledgeStatus,
    ScoreEvidence,
    ScoringStage,
    ScoringTable,
    SelfScore,
    Signature,
    StageReopening,
)

PREFIX = "SC-"
UNIT_PREFIX = "SC-"
SEED = 4242
BATCH_SIZE = 5000

BLOCS = 120
CENTRAL_BLOCS = 4
MIN_MEMBERS, MAX_MEMBERS = 5, 40
BENCH_MEMBERS = 40
FIRST_YEAR, LAST_YEAR = 2016, 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
JOINED_ON = datetime.date(FIRST_YEAR - 1, 12, 15)
LEFT_YEAR = 2019

CENTRAL_NAMES = [
    "Khối thi đua các bộ, ngành kinh tế tổng hợp",
    "Khối thi đua các bộ, ngành văn hóa – xã hội",
    "Khối thi đua các bộ, ngành nội chính",
    "Khối thi đua các cơ quan quản lý chuyên ngành",
]
PLACES = ["Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế"]
COMMITMENTS = [
    "Thực hiện thắng lợi nhiệm vụ chính trị, chuyên môn được giao năm {year}.",
    "Đẩy mạnh cải cách hành chính, chuyển đổi số; nâng tỷ lệ hồ sơ giải quyết đúng hạn.",
    "Thực hành tiết kiệm, chống lãng phí; quản lý, sử dụng tài sản công đúng quy định.",
    "Tổ chức các phong trào thi đua thường xuyên và theo chuyên đề; sơ kết, tổng kết kịp thời.",
    "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến, cách làm hay, sáng kiến.",
    "Xây dựng tổ chức đảng, đoàn thể trong sạch, vững mạnh; thực hiện văn hóa công sở.",
    "Tham gia đầy đủ các hoạt động chung, giao lưu, chia sẻ kinh nghiệm trong Khối.",
    "Chăm lo đời sống vật chất, tinh thần của cán bộ, công chức, người lao động.",
]
POSITIONS = ["Thủ trưởng đơn vị", "Phó Thủ trưởng đơn vị", "Chánh Văn phòng", "Vụ trưởng"]
# (group, [(criterion, maximum points)]): 4 groups, 12 criteria, 100 points in all.
TABLE: list[tuple[str, list[tuple[str, int]]]] = [
    (
        "Thực hiện nhiệm vụ chính trị, chuyên môn được giao",
        [
            ("Hoàn thành các chỉ tiêu, nhiệm vụ công tác trọng tâm của năm", 15),
            ("Chất lượng, hiệu quả công tác tham mưu, thực thi nhiệm vụ chuyên môn", 10),
            ("Cải cách hành chính, chuyển đổi số trong hoạt động của đơn vị", 10),
            ("Thực hành tiết kiệm, chống lãng phí, phòng chống tham nhũng", 5),
        ],
    ),
    (
        "Tổ chức phong trào thi đua và công tác khen thưởng",
        [
            ("Ban hành kế hoạch, phát động các phong trào thi đua thường xuyên, theo chuyên đề", 8),
            ("Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến, cách làm hay", 8),
            ("Khen thưởng kịp thời, công khai, đúng quy định; chú trọng người trực tiếp", 7),
            ("Sơ kết, tổng kết phong trào; thực hiện chế độ thông tin, báo cáo với Khối", 7),
        ],
    ),
    (
        "Tham gia hoạt động chung của Khối thi đua",
        [
            ("Tham gia đầy đủ hội nghị, lễ ký kết giao ước và các hoạt động của Khối", 10),
            ("Phối hợp, giao lưu, chia sẻ kinh nghiệm với các thành viên trong Khối", 5),
        ],
    ),
    (
        "Xây dựng tổ chức đảng, đoàn thể và văn hóa công sở",
        [
            ("Tổ chức đảng, đoàn thể trong sạch, vững mạnh", 10),
            ("Thực hiện văn hóa công sở, kỷ luật, kỷ cương hành chính", 5),
        ],
    ),
]


class Command(BaseCommand):
    help = (
        "Tạo 120 khối thi đua quy mô lớn (5–40 thành viên, 10 năm, giao ước, chữ ký, bảng "
        "điểm và điểm chấm chéo năm gần nhất) trên các đơn vị do seed_scale tạo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xóa các khối do lệnh này tạo trước đó (tên gọi tắt 'SC-K') rồi tạo lại.",
        )
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Chỉ xóa các khối do lệnh này tạo (seed_scale --reset dùng trước khi xóa đơn vị).",
        )

    def handle(self, *args: Any, reset: bool, delete: bool, **options: Any) -> None:
        started = time.perf_counter()
        if delete:
            with self._step("xóa khối thi đua quy mô lớn"):
                delete_scale_blocs()
            return
        if Bloc.objects.filter(short_name__startswith=f"{PREFIX}K").exists():
            if not reset:
                raise CommandError(
                    "Các khối thi đua quy mô lớn (tên gọi tắt 'SC-K') đã có. "
                    "Chạy lại với --reset để xóa và tạo lại."
                )
            with self._step("xóa khối thi đua cũ (--reset)"):
                delete_scale_blocs()
        units = list(
            Unit.objects.filter(code__startswith=UNIT_PREFIX)
            .only("pk", "code", "name", "depth", "kind")
            .order_by("code")
        )
        bodies = [u for u in units if u.depth == 0]
        if len(bodies) < CENTRAL_BLOCS:
            raise CommandError("Chưa có đơn vị quy mô lớn: chạy `manage.py seed_scale` trước.")
        rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not secrets
        counts: dict[str, int] = {}
        with transaction.atomic():
            with self._step(f"{BLOCS} khối thi đua, thành viên"):
                blocs, members, formers = _create_blocs(rng, bodies, units, counts)
            with self._step("năm thi đua: khối trưởng, khối phó, cờ luân lưu"):
                years = _create_bloc_years(rng, blocs, members, counts)
            with self._step("giao ước, nội dung cam kết, chữ ký"):
                _create_pledges(rng, years, members, formers, counts)
            with self._step("bảng điểm, tự chấm, chấm chéo năm gần nhất"):
                _create_scoring(rng, years, members, counts)
        if connection.vendor == "postgresql":
            # Statistics and a visibility map for a benchmark run straight after the
            # load; VACUUM cannot run inside a transaction (a caller's, or a test's).
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with self._step(command), connection.cursor() as cursor:
                for model in (
                    Bloc,
                    BlocMembership,
                    BlocYear,
                    BlocYear.deputies.through,
                    Pledge,
                    Commitment,
                    Signature,
                    ScoringTable,
                    CriterionGroup,
                    Criterion,
                    SelfScore,
                    CrossScore,
                    FinalScore,
                ):
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        summary = ", ".join(f"{n:,} {label}" for label, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Khối thi đua xong trong {time.perf_counter() - started:.1f} s: {summary}"
            )
        )

    @contextmanager
    def _step(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.stdout.write(f"  {label}: {time.perf_counter() - started:.1f} s")


# Reset ---------------------------------------------------------------------------------------


def _fast_delete(queryset: QuerySet[Any]) -> None:
    """DELETE ... WHERE in one statement, without loading rows or writing history."""
    queryset._raw_delete(queryset.db)


def delete_scale_blocs() -> None:
    """Delete every row this stage wrote (blocs named 'SC-K...' and all under them)."""
    with transaction.atomic():
        blocs = Bloc.objects.filter(short_name__startswith=f"{PREFIX}K")
        bloc_ids = list(blocs.values_list("pk", flat=True))
        if not bloc_ids:
            return
        year_ids = list(BlocYear.objects.filter(bloc_id__in=bloc_ids).values_list("pk", flat=True))
        pledge_ids = list(
            Pledge.objects.filter(bloc_year_id__in=year_ids).values_list("pk", flat=True)
        )
        table_ids = list(
            ScoringTable.objects.filter(bloc_year_id__in=year_ids).values_list("pk", flat=True)
        )
        group_ids = list(
            CriterionGroup.objects.filter(table_id__in=table_ids).values_list("pk", flat=True)
        )
        criterion_ids = list(
            Criterion.objects.filter(group_id__in=group_ids).values_list("pk", flat=True)
        )
        by_criterion = {"criterion_id__in": criterion_ids}
        for model in (CrossScore, FinalScore):
            _fast_delete(model.objects.filter(**by_criterion))
            _fast_delete(model.history.filter(**by_criterion))
        _fast_delete(ScoreEvidence.objects.filter(self_score__criterion_id__in=criterion_ids))
        _fast_delete(SelfScore.objects.filter(**by_criterion))
        _fast_delete(SelfScore.history.filter(**by_criterion))
        _fast_delete(Criterion.objects.filter(pk__in=criterion_ids))
        _fast_delete(Criterion.history.filter(id__in=criterion_ids))
        _fast_delete(CriterionGroup.objects.filter(pk__in=group_ids))
        _fast_delete(CriterionGroup.history.filter(id__in=group_ids))
        _fast_delete(StageReopening.objects.filter(table_id__in=table_ids))
        _fast_delete(ScoringTable.objects.filter(pk__in=table_ids))
        _fast_delete(ScoringTable.history.filter(id__in=table_ids))
        _fast_delete(Acclamation.objects.filter(bloc_year_id__in=year_ids))
        _fast_delete(Acclamation.history.filter(bloc_year_id__in=year_ids))
        by_pledge = {"pledge_id__in": pledge_ids}
        for model in (Signature, Commitment, PledgeDocument):
            _fast_delete(model.objects.filter(**by_pledge))
            _fast_delete(model.history.filter(**by_pledge))
        _fast_delete(PledgeAmendment.objects.filter(**by_pledge))
        _fast_delete(Pledge.campaigns.through.objects.filter(**by_pledge))
        _fast_delete(Pledge.objects.filter(pk__in=pledge_ids))
        _fast_delete(Pledge.history.filter(id__in=pledge_ids))
        _fast_delete(BlocYear.deputies.through.objects.filter(blocyear_id__in=year_ids))
        _fast_delete(BlocYear.objects.filter(pk__in=year_ids))
        _fast_delete(BlocYear.history.filter(id__in=year_ids))
        for model in (BlocMembership, BlocSecretariat):
            _fast_delete(model.objects.filter(bloc_id__in=bloc_ids))
            _fast_delete(model.history.filter(bloc_id__in=bloc_ids))
        _fast_delete(Bloc.objects.filter(pk__in=bloc_ids))
        _fast_delete(Bloc.history.filter(id__in=bloc_ids))


# Blocs and members ---------------------------------------------------------------------------


def _bulk(
    objs: list[Model],
    model: type[Model],
    counts: dict[str, int],
    label: str,
    *,
    history: bool = True,
) -> list[Model]:
    """bulk_create, then the history rows every other path writes (see _write_history)."""
    created = model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    if history:
        ids = [obj.pk for obj in created]
        for start in range(0, len(ids), BATCH_SIZE):
            _write_history(model, ids[start : start + BATCH_SIZE])
    counts[label] = counts.get(label, 0) + len(created)
    return created


def _write_history(model: type[Model], ids: list[int]) -> None:
    """The "created" history rows of ``ids``, copied by the database from the new rows.

    The same rows as simple-history's bulk_create_with_history (type '+', the time
    of the load, no user, no reason), without building a Python object for each:
    that took four fifths of the time for 800,000 cross-scores.
    """
    history = model.history.model
    columns = [
        field.column
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    quote = connection.ops.quote_name
    tracked = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(ids))
    # Only quoted table and column names from the models go into the text.
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, "  # noqa: S608
        f"history_type, history_change_reason, history_user_id) "
        f"SELECT {tracked}, %s, '+', NULL, NULL FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), *ids])


def _create_blocs(
    rng: random.Random, bodies: list[Unit], units: list[Unit], counts: dict[str, int]
) -> tuple[list[Bloc], dict[int, list[Unit]], dict[int, Unit]]:
    """The blocs; per bloc its current members (by name) and, for some, a former member."""
    Plan = tuple[str, str, Unit | None, list[Unit], Unit | None]
    central: list[Plan] = []
    shuffled = bodies[:]
    rng.shuffle(shuffled)
    share = len(shuffled) // CENTRAL_BLOCS
    for n in range(CENTRAL_BLOCS):
        group = shuffled[n * share : (n + 1) * share if n < CENTRAL_BLOCS - 1 else None]
        central.append(
            (CENTRAL_NAMES[n % len(CENTRAL_NAMES)], BlocLevel.CENTRAL, None, group, None)
        )
    # The units inside each body, shuffled once: each internal bloc takes the next
    # ones, so no unit is in two blocs of its body.
    code_length = len(bodies[0].code)
    body_of = {body.code: body for body in bodies}
    pools: dict[int, list[Unit]] = {body.pk: [] for body in bodies}
    for unit in units:
        if unit.depth > 0:
            pools[body_of[unit.code[:code_length]].pk].append(unit)
    for pool in pools.values():
        rng.shuffle(pool)
    taken = dict.fromkeys(pools, 0)
    serial = dict.fromkeys(pools, 0)
    internal: list[Plan] = []
    turn = 0
    while len(internal) < BLOCS - CENTRAL_BLOCS:
        body = bodies[turn % len(bodies)]
        turn += 1
        if turn > 10 * BLOCS:
            raise CommandError("Không đủ đơn vị để lập 120 khối thi đua.")
        pool, start = pools[body.pk], taken[body.pk]
        if len(pool) - start < MIN_MEMBERS:
            continue
        size = BENCH_MEMBERS if not internal else rng.randint(MIN_MEMBERS, MAX_MEMBERS)
        size = min(size, len(pool) - start)
        members = pool[start : start + size]
        # Every fifth bloc (never the benchmark one) also had a member that left in 2019.
        former = None
        if internal and len(internal) % 5 == 0 and start + size < len(pool):
            former = pool[start + size]
            size += 1
        taken[body.pk] = start + size
        serial[body.pk] += 1
        name = f"Khối thi đua số {serial[body.pk]} – {body.name}"
        internal.append((name, BlocLevel.INTERNAL, body, members, former))
    # The benchmark bloc (40 members inside the first body) comes first.
    plans = internal[:1] + central + internal[1:]
    blocs = []
    for n, (name, level, organiser, _members, _former) in enumerate(plans, start=1):
        short_name = f"{PREFIX}K{n:03d}"
        # bulk_create skips Bloc.save(), which is what fills the folded search text.
        blocs.append(
            Bloc(
                name=name,
                short_name=short_name,
                level=level,
                organiser=organiser,
                search_text=fold(f"{name} {short_name}"),
            )
        )
    blocs = _bulk(blocs, Bloc, counts, "khối")
    members = {
        bloc.pk: sorted(plan[3], key=lambda unit: (unit.name, unit.pk))
        for bloc, plan in zip(blocs, plans, strict=True)
    }
    formers = {bloc.pk: plan[4] for bloc, plan in zip(blocs, plans, strict=True) if plan[4]}
    memberships = [
        BlocMembership(bloc=bloc, unit=unit, joined_on=JOINED_ON)
        for bloc in blocs
        for unit in members[bloc.pk]
    ]
    memberships += [
        BlocMembership(
            bloc_id=bloc_id,
            unit=unit,
            joined_on=JOINED_ON,
            left_on=datetime.date(LEFT_YEAR, 6, 30),
        )
        for bloc_id, unit in formers.items()
    ]
    _bulk(memberships, BlocMembership, counts, "thành viên (kể cả đã rời khối)")
    return blocs, members, formers


def _members_in_year(
    bloc: Bloc, year: int, members: dict[int, list[Unit]], formers: dict[int, Unit]
) -> list[Unit]:
    """The bloc's members during ``year`` (a former member until it left), by name."""
    former = formers.get(bloc.pk)
    if former is None or year > LEFT_YEAR:
        return members[bloc.pk]
    return sorted([*members[bloc.pk], former], key=lambda unit: (unit.name, unit.pk))


def _person_name(rng: random.Random) -> str:
    female = rng.random() < 0.4
    family = rng.choices(FAMILY, cum_weights=FAMILY_CUM_WEIGHTS)[0]
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{family} {middle} {given}"


# Years ---------------------------------------------------------------------------------------


def _create_bloc_years(
    rng: random.Random,
    blocs: list[Bloc],
    members: dict[int, list[Unit]],
    counts: dict[str, int],
) -> list[BlocYear]:
    """Ten years per bloc; the leader rotates among the current members, one or two deputies."""
    years: list[BlocYear] = []
    deputies: list[list[Unit]] = []
    for bloc in blocs:
        current = members[bloc.pk]
        order = rng.sample(current, len(current))
        for n, year in enumerate(YEARS):
            leader = order[n % len(order)]
            others = [u for u in current if u.pk != leader.pk]
            deputies.append(rng.sample(others, min(len(others), rng.randint(1, 2))))
            # The flag is handed over at the previous year's review conference.
            handover = datetime.date(year, 1, rng.randint(8, 28))
            years.append(
                BlocYear(
                    bloc=bloc,
                    year=year,
                    leader=leader,
                    flag_handover_date=handover,
                    flag_handover_occasion=f"Hội nghị tổng kết công tác thi đua năm {year - 1}",
                )
            )
    years = _bulk(years, BlocYear, counts, "năm thi đua")
    through = BlocYear.deputies.through
    links = [
        through(blocyear_id=bloc_year.pk, unit_id=unit.pk)
        for bloc_year, chosen in zip(years, deputies, strict=True)
        for unit in chosen
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    counts["khối phó"] = len(links)
    return years


# Pledges -------------------------------------------------------------------------------------


def _create_pledges(
    rng: random.Random,
    years: list[BlocYear],
    members: dict[int, list[Unit]],
    formers: dict[int, Unit],
    counts: dict[str, int],
) -> None:
    """One pledge per bloc year, signed by every member on the ceremony day."""
    pledges = []
    for bloc_year in years:
        ceremony = datetime.date(bloc_year.year, rng.randint(2, 3), rng.randint(1, 28))
        pledges.append(
            Pledge(
                bloc_year=bloc_year,
                title=f"Giao ước thi đua năm {bloc_year.year} của {bloc_year.bloc.name}",
                ceremony_date=ceremony,
                place=rng.choice(PLACES),
                status=PledgeStatus.SIGNED,
                signed_at=timezone.make_aware(
                    datetime.datetime.combine(ceremony, datetime.time(10, rng.randint(0, 59)))
                ),
            )
        )
    pledges = _bulk(pledges, Pledge, counts, "giao ước")
    commitments, signatures = [], []
    for pledge in pledges:
        bloc_year = pledge.bloc_year
        chosen = rng.sample(COMMITMENTS, rng.randint(5, 8))
        commitments += [
            Commitment(pledge=pledge, number=n, text=text.format(year=bloc_year.year))
            for n, text in enumerate(chosen, start=1)
        ]
        signatures += [
            Signature(
                pledge=pledge,
                member=unit,
                signatory_name=_person_name(rng),
                signatory_position=rng.choice(POSITIONS),
                signed_on=pledge.ceremony_date,
            )
            for unit in _members_in_year(bloc_year.bloc, bloc_year.year, members, formers)
        ]
    _bulk(commitments, Commitment, counts, "nội dung cam kết")
    _bulk(signatures, Signature, counts, "chữ ký")


# Scoring -------------------------------------------------------------------------------------


def _points(maximum: int, share: float, rng: random.Random) -> Decimal:
    """A mark on a 0.5-point grid around ``share`` of the maximum, within 0..maximum."""
    value = maximum * (share + rng.uniform(-0.08, 0.05))
    return Decimal(str(min(max(round(value * 2) / 2, 0), maximum)))


def _create_scoring(
    rng: random.Random,
    years: list[BlocYear],
    members: dict[int, list[Unit]],
    counts: dict[str, int],
) -> None:
    """For each bloc's latest year: the table, every self-score and every cross-score."""
    latest = [y for y in years if y.year == LAST_YEAR]
    tables = _bulk(
        [
            ScoringTable(
                bloc_year=bloc_year,
                stage=ScoringStage.MEETING,
                self_deadline=datetime.date(LAST_YEAR, 12, 20),
                cross_deadline=datetime.date(LAST_YEAR + 1, 1, 31),
            )
            for bloc_year in latest
        ],
        ScoringTable,
        counts,
        "bảng điểm",
    )
    groups = _bulk(
        [
            CriterionGroup(table=table, number=n, title=title)
            for table in tables
            for n, (title, _items) in enumerate(TABLE, start=1)
        ],
        CriterionGroup,
        counts,
        "nhóm tiêu chí",
    )
    criteria = _bulk(
        [
            Criterion(group=group, number=n, text=text, max_points=Decimal(maximum))
            for group in groups
            for n, (text, maximum) in enumerate(TABLE[group.number - 1][1], start=1)
        ],
        Criterion,
        counts,
        "tiêu chí",
    )
    by_table: dict[int, list[Criterion]] = {}
    table_of_group = {group.pk: group.table_id for group in groups}
    for criterion in criteria:
        by_table.setdefault(table_of_group[criterion.group_id], []).append(criterion)
    for table in tables:
        current = members[table.bloc_year.bloc_id]
        strength = {unit.pk: rng.uniform(0.78, 0.97) for unit in current}
        selfs, crosses, finals = [], [], []
        for criterion in by_table[table.pk]:
            maximum = int(criterion.max_points)
            for scored in current:
                share = strength[scored.pk]
                # Members rate themselves a little higher than their peers do.
                selfs.append(
                    SelfScore(
                        criterion=criterion,
                        member=scored,
                        points=_points(maximum, min(share + 0.03, 1.0), rng),
                        note="Số liệu tại báo cáo tổng kết năm của đơn vị.",
                    )
                )
                crosses += [
                    CrossScore(
                        criterion=criterion,
                        scorer=scorer,
                        scored=scored,
                        points=_points(maximum, share, rng),
                    )
                    for scorer in current
                    if scorer.pk != scored.pk
                ]
        # The meeting settled one cell where the scorers disagreed.
        criterion, member = rng.choice(by_table[table.pk]), rng.choice(current)
        finals.append(
            FinalScore(
                criterion=criterion,
                member=member,
                points=_points(int(criterion.max_points), strength[member.pk], rng),
                reason="Hội nghị khối xem xét minh chứng bổ sung, thống nhất điểm tiêu chí.",
            )
        )
        # Scores get no "created" history rows: for 850,000 rows they doubled the
        # load time, and a seeded score has no earlier version to show. A later
        # change starts its history as usual.
        _bulk(selfs, SelfScore, counts, "điểm tự chấm", history=False)
        _bulk(crosses, CrossScore, counts, "điểm chấm chéo", history=False)
        _bulk(finals, FinalScore, counts, "điểm hội nghị quyết định", history=False)
