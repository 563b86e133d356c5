"""``manage.py seed_scale``: a deterministic national-scale data set for benchmarks.

It builds 3,000 units four levels deep (25 bodies → 175 departments → 700
divisions → 2,100 teams), 300,000 people spread over them, 60 campaigns with two
phases, 3–5 content areas with targets and milestones each, and one HR user
``bench.hr`` (HR staff of the first body) for ``benchmarks/bench_pages.py``.

Every row it writes is marked so it never clashes with the demo data and can be
removed again: unit codes, staff codes and plan numbers start with ``SC-``. Run it
once; a second run refuses unless given ``--reset``, which deletes exactly those
rows (and their history) before building them again.

Everything random comes from ``random.Random(42)``, so two runs give the same
names, codes, sizes and dates; only the primary keys depend on the database's
sequences.

Then the blocs stage, ``manage.py seed_scale_blocs`` of the pledges app (120
blocs with their members, ten years each, pledges, signatures and the latest
year's scoring): run here by name, since campaigns imports none of the other
apps. ``--blocs`` runs that stage alone on units seeded before; ``--no-blocs``
skips it.
"""

from __future__ import annotations

import datetime
import random
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from simple_history.utils import bulk_create_with_history

from campaigns.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    ContentArea,
    Gender,
    Milestone,
    Person,
    Phase,
    ProgressEntry,
    ProgressFigure,
    ReviewKind,
    Role,
    RoleAssignment,
    Target,
    Unit,
    UnitKind,
)
from campaigns.rules import PhaseInput, check_phases

PREFIX = "SC-"
BLOCS_COMMAND = "seed_scale_blocs"
BENCH_USERNAME = "bench.hr"
SEED = 42
BATCH_SIZE = 5000

# 25 + 25*7 + 25*7*4 + 25*7*4*3 = 25 + 175 + 700 + 2,100 = 3,000 units.
BODIES, DEPARTMENTS_PER_BODY, DIVISIONS_PER_DEPARTMENT, TEAMS_PER_DIVISION = 25, 7, 4, 3
PEOPLE = 300_000
CAMPAIGNS = 60

BODY_TOPICS = [
    "Nội vụ",
    "Tài chính",
    "Kế hoạch và Đầu tư",
    "Giáo dục và Đào tạo",
    "Y tế",
    "Công Thương",
    "Nông nghiệp và Phát triển nông thôn",
    "Giao thông vận tải",
    "Xây dựng",
    "Tài nguyên và Môi trường",
    "Thông tin và Truyền thông",
    "Lao động – Thương binh và Xã hội",
    "Văn hóa, Thể thao và Du lịch",
    "Khoa học và Công nghệ",
    "Tư pháp",
    "Ngoại giao",
    "Dân tộc và Tôn giáo",
    "Bảo hiểm xã hội",
    "Kiểm toán",
    "Thống kê",
    "Dự trữ quốc gia",
    "Hải quan",
    "Thuế",
    "Kho bạc",
    "Đường sắt",
]
DEPARTMENTS = [
    "Vụ Tổ chức cán bộ",
    "Văn phòng",
    "Vụ Kế hoạch – Tài chính",
    "Vụ Pháp chế",
    "Thanh tra",
    "Cục Công nghệ thông tin",
    "Vụ Hợp tác quốc tế",
]
DIVISIONS = ["Phòng Tổng hợp", "Phòng Hành chính – Quản trị", "Phòng Nghiệp vụ", "Phòng Kế toán"]
TEAMS = ["Tổ Văn thư – Lưu trữ", "Tổ Đảng – Đoàn thể", "Đội Công tác lưu động"]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Đoàn",
    "Lương",
]
# Weighted like the real distribution: Nguyễn, Trần and Lê are far more common.
FAMILY_CUM_WEIGHTS = list(
    accumulate([38, 11, 9.5, 7, 5.1, 4.5, 4.5, 3.9, 3.9, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 1, 1, 1, 1])
)
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Thành", "Công", "Bá", "Trọng"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Kim", "Mỹ", "Phương", "Bích", "Hoài"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Đông",
    "Giang",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Long",
    "Lộc",
    "Mạnh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quyết",
    "Sơn",
    "Tài",
    "Thắng",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Hưng",
    "Kiên",
]
GIVEN_FEMALE = [
    "Anh",
    "Chi",
    "Diệp",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Huyền",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Uyên",
    "Vân",
    "Vy",
    "Yến",
    "Xuân",
    "Đào",
    "Ánh",
    "Ly",
]
POSITIONS = [
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên chính",
    "Chuyên viên cao cấp",
    "Cán sự",
    "Nhân viên",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Kế toán viên",
    "Thanh tra viên",
]
CAMPAIGN_THEMES = [
    "Thi đua thực hiện thắng lợi nhiệm vụ chính trị",
    "Đẩy mạnh cải cách hành chính, chuyển đổi số",
    "Thi đua thực hành tiết kiệm, chống lãng phí",
    "Cán bộ, công chức thi đua thực hiện văn hóa công sở",
    "Thi đua xây dựng xã hội học tập, học tập suốt đời",
    "Chung tay vì người nghèo – không để ai bị bỏ lại phía sau",
    "Thi đua đổi mới, sáng tạo trong quản lý và thực thi công vụ",
    "Dân vận khéo trong cơ quan hành chính",
    "Thi đua hoàn thành xuất sắc kế hoạch công tác năm",
    "Xây dựng cơ quan, đơn vị an toàn, văn minh",
]
AREA_TITLES = [
    "Hoàn thành các nhiệm vụ chuyên môn được giao đúng tiến độ, bảo đảm chất lượng",
    "Đẩy mạnh ứng dụng công nghệ thông tin và chuyển đổi số",
    "Thực hành tiết kiệm, chống lãng phí trong chi tiêu công",
    "Nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
    "Đổi mới, sáng tạo, đề xuất sáng kiến trong công tác",
    "Tham gia các hoạt động xã hội, từ thiện",
    "Xây dựng văn hóa công sở, kỷ luật, kỷ cương hành chính",
]
TARGETS = [
    ("Tỷ lệ hồ sơ giải quyết đúng hạn", Decimal(98), "%"),
    ("Số dịch vụ công trực tuyến toàn trình", Decimal(40), "dịch vụ"),
    ("Tỷ lệ tiết kiệm chi thường xuyên", Decimal(10), "%"),
    ("Số cán bộ được bồi dưỡng, tập huấn", Decimal(120), "người"),
    ("Số sáng kiến được công nhận", Decimal(5), "sáng kiến"),
    ("Tỷ lệ văn bản điện tử có ký số", Decimal(95), "%"),
    ("Tổ chức hội nghị sơ kết, tổng kết đúng thời hạn", None, ""),
]
MILESTONES = [
    "Ban hành kế hoạch phát động phong trào",
    "Hướng dẫn đăng ký thi đua",
    "Tổng hợp đăng ký thi đua của các đơn vị",
    "Kiểm tra việc triển khai tại các đơn vị",
    "Báo cáo kết quả thực hiện giữa kỳ",
    "Đề xuất khen thưởng",
]
ISSUER_TITLES = [
    ("Bộ trưởng", "Nguyễn Văn Hùng"),
    ("Thứ trưởng", "Trần Thị Mai"),
    ("Cục trưởng", "Lê Quang Minh"),
    ("Chánh Văn phòng", "Phạm Đức Thắng"),
]


class Command(BaseCommand):
    help = (
        "Tạo bộ dữ liệu quy mô quốc gia (3.000 đơn vị, 300.000 cá nhân, 60 phong trào) "
        "để đo hiệu năng. Mã bắt đầu bằng 'SC-'; chạy lại cần --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xóa dữ liệu do lệnh này tạo trước đó (mã 'SC-', người dùng bench.hr) rồi tạo lại.",
        )
        parser.add_argument(
            "--people",
            type=int,
            default=PEOPLE,
            help="Số cá nhân (mặc định 300.000; nhỏ hơn để thử nhanh).",
        )
        parser.add_argument(
            "--blocs",
            action="store_true",
            help="Chỉ tạo các khối thi đua (seed_scale_blocs) trên các đơn vị đã tạo trước đó; "
            "với --reset: xóa và tạo lại các khối.",
        )
        parser.add_argument(
            "--no-blocs",
            action="store_true",
            help="Không tạo các khối thi đua.",
        )
        parser.add_argument(
            "--password",
            default="",
            help="Mật khẩu của bench.hr (mặc định: sinh ngẫu nhiên và in ra).",
        )

    def handle(
        self,
        *args: Any,
        reset: bool,
        people: int,
        password: str,
        blocs: bool,
        no_blocs: bool,
        **options: Any,
    ) -> None:
        started = time.perf_counter()
        with_blocs = not no_blocs and BLOCS_COMMAND in get_commands()
        if blocs:
            if not with_blocs:
                raise CommandError("Không có lệnh seed_scale_blocs (ứng dụng pledges).")
            call_command(BLOCS_COMMAND, reset=reset, stdout=self.stdout, stderr=self.stderr)
            return
        if _already_seeded():
            if not reset:
                raise CommandError(
                    "Dữ liệu quy mô lớn (mã 'SC-') đã có trong cơ sở dữ liệu này. "
                    "Chạy lại với --reset để xóa và tạo lại."
                )
            with self._step("xóa dữ liệu cũ (--reset)"):
                if BLOCS_COMMAND in get_commands():
                    # Blocs refer to the units: they go first.
                    call_command(BLOCS_COMMAND, delete=True, stdout=self.stdout)
                _reset()
        # Reproducible test data, not secrets: a seeded PRNG is what is wanted here.
        rng = random.Random(SEED)  # noqa: S311
        with transaction.atomic():
            with self._step("3.000 đơn vị"):
                levels = _create_units()
            with self._step(f"{people:,} cá nhân"):
                _create_people(rng, [unit.pk for level in levels for unit in level], people)
            with self._step(f"{CAMPAIGNS} phong trào, giai đoạn, nội dung, chỉ tiêu, mốc"):
                _create_campaigns(rng, levels)
            with self._step("người dùng bench.hr"):
                password = _create_bench_user(levels[0][0], password)
        if connection.vendor == "postgresql":
            # The benchmark runs right after the load, before autovacuum gets there:
            # without statistics the planner guesses row counts and may skip the
            # trigram and path indexes; without a visibility map it cannot answer a
            # count from the index alone.
            with self._step("VACUUM ANALYZE"), connection.cursor() as cursor:
                for model in (Unit, Person, Campaign, Campaign.participating_units.through):
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"VACUUM ANALYZE {table}")
        if with_blocs:
            call_command(BLOCS_COMMAND, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong trong {time.perf_counter() - started:.1f} s. "
                f"Đăng nhập: {BENCH_USERNAME} / {password} "
                f"(cán bộ TĐKT của {levels[0][0].name})"
            )
        )

    @contextmanager
    def _step(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.stdout.write(f"  {label}: {time.perf_counter() - started:.1f} s")


def _already_seeded() -> bool:
    return (
        Unit.objects.filter(code__startswith=PREFIX).exists()
        or get_user_model().objects.filter(username=BENCH_USERNAME).exists()
    )


def _fast_delete(queryset: QuerySet[Any]) -> None:
    """DELETE ... WHERE in one statement, skipping per-row signals.

    ``QuerySet.delete()`` loads each row to send signals, and simple-history then
    writes a "deleted" record for each: minutes for 300,000 people, all for rows
    whose history we delete anyway.
    """
    queryset._raw_delete(queryset.db)


def _reset() -> None:
    """Delete every row this command wrote (prefix 'SC-'), and nothing else."""
    with transaction.atomic():
        campaigns = Campaign.objects.filter(plan_number__startswith=PREFIX)
        campaign_ids = list(campaigns.values_list("pk", flat=True))
        area_ids = list(
            ContentArea.objects.filter(campaign_id__in=campaign_ids).values_list("pk", flat=True)
        )
        _fast_delete(ProgressFigure.objects.filter(entry__phase__campaign_id__in=campaign_ids))
        _fast_delete(ProgressEntry.objects.filter(phase__campaign_id__in=campaign_ids))
        _fast_delete(Target.objects.filter(content_area_id__in=area_ids))
        for model in (ContentArea, Phase, Milestone):
            _fast_delete(model.objects.filter(campaign_id__in=campaign_ids))
        _fast_delete(
            Campaign.participating_units.through.objects.filter(campaign_id__in=campaign_ids)
        )
        links = Campaign.linked_campaigns.through.objects
        _fast_delete(links.filter(from_campaign_id__in=campaign_ids))
        _fast_delete(links.filter(to_campaign_id__in=campaign_ids))
        _fast_delete(campaigns)
        _fast_delete(Target.history.filter(content_area_id__in=area_ids))
        for model in (ContentArea, Phase, Milestone):
            _fast_delete(model.history.filter(campaign_id__in=campaign_ids))
        _fast_delete(Campaign.history.filter(id__in=campaign_ids))

        get_user_model().objects.filter(username=BENCH_USERNAME).delete()
        _fast_delete(RoleAssignment.objects.filter(unit__code__startswith=PREFIX))
        _fast_delete(Person.objects.filter(staff_code__startswith=PREFIX))
        _fast_delete(Person.history.filter(staff_code__startswith=PREFIX))
        _fast_delete(Unit.objects.filter(code__startswith=PREFIX))
        _fast_delete(Unit.history.filter(code__startswith=PREFIX))


def _create_units() -> list[list[Unit]]:
    """Insert the tree level by level; return the levels, top first, with primary keys set."""
    bodies = [
        Unit(code=f"{PREFIX}B{b + 1:02d}", name=f"Bộ {topic}", kind=UnitKind.BODY)
        for b, topic in enumerate(BODY_TOPICS[:BODIES])
    ]
    levels = [_insert_level(bodies, depth=0)]
    shapes = [
        (DEPARTMENTS[:DEPARTMENTS_PER_BODY], "D", UnitKind.DEPARTMENT),
        (DIVISIONS[:DIVISIONS_PER_DEPARTMENT], "V", UnitKind.DIVISION),
        (TEAMS[:TEAMS_PER_DIVISION], "T", UnitKind.TEAM),
    ]
    for depth, (names, letter, kind) in enumerate(shapes, start=1):
        children = []
        for parent in levels[-1]:
            for n, name in enumerate(names, start=1):
                children.append(
                    Unit(
                        code=f"{parent.code}-{letter}{n}",
                        name=name,
                        kind=kind,
                        parent=parent,
                    )
                )
        levels.append(_insert_level(children, depth=depth))
    return levels


def _insert_level(units: list[Unit], *, depth: int) -> list[Unit]:
    for unit in units:
        # bulk_create skips Unit.save(), which is what normally fills these in.
        unit.depth = depth
        unit.search_text = Unit.fold_fields(unit.code, unit.name, unit.short_name)
    units = bulk_create_with_history(units, Unit, batch_size=BATCH_SIZE)
    # The path holds the row's own primary key, known only after the insert; one
    # UPDATE per level builds it from the parent's path written by the level above.
    parent_path: Any = (
        Subquery(Unit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1])
        if depth
        else Value("/")
    )
    Unit.objects.filter(code__startswith=PREFIX, depth=depth).update(
        path=Concat(parent_path, Cast("pk", CharField()), Value("/"), output_field=CharField())
    )
    paths = dict(
        Unit.objects.filter(code__startswith=PREFIX, depth=depth).values_list("pk", "path")
    )
    for unit in units:
        unit.path = paths[unit.pk]
    return units


def _create_people(rng: random.Random, unit_ids: list[int], count: int) -> None:
    # Spread unevenly, as in real bodies: each unit gets a weight, so some teams
    # hold a handful of people and some departments several hundred.
    weights = [rng.uniform(0.2, 1.8) for _ in unit_ids]
    for start in range(0, count, BATCH_SIZE):
        size = min(BATCH_SIZE, count - start)
        units = rng.choices(unit_ids, weights=weights, k=size)
        batch = []
        for offset, unit_id in enumerate(units):
            female = rng.random() < 0.5
            family = rng.choices(FAMILY, cum_weights=FAMILY_CUM_WEIGHTS)[0]
            middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
            if rng.random() < 0.2:  # some people carry two middle names
                middle = f"{middle} {rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)}"
            given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
            full_name = f"{family} {middle} {given}"
            staff_code = f"{PREFIX}{start + offset + 1:06d}"
            batch.append(
                Person(
                    unit_id=unit_id,
                    full_name=full_name,
                    position=rng.choice(POSITIONS),
                    gender=Gender.FEMALE if female else Gender.MALE,
                    birth_year=rng.randint(1965, 2001),
                    staff_code=staff_code,
                    search_text=Person.fold_fields(full_name, staff_code),
                )
            )
        bulk_create_with_history(batch, Person, batch_size=BATCH_SIZE)


def _create_campaigns(rng: random.Random, levels: list[list[Unit]]) -> None:
    bodies, departments = levels[0], levels[1]
    bench_body = bodies[0]
    bench_departments = [d for d in departments if d.parent_id == bench_body.pk]
    campaigns: list[Campaign] = []
    for i in range(CAMPAIGNS):
        # Half the campaigns are issued inside the benchmark user's body, so their
        # campaign list spans more than one page; the rest spread over the others.
        if i % 2 == 0:
            issuer = bench_body if i % 6 == 0 else rng.choice(bench_departments)
        else:
            issuer = rng.choice(bodies[1:] + departments)
        start_year = rng.randint(2021, 2025)
        end_year = start_year + rng.randint(1, 5)
        name = f"{rng.choice(CAMPAIGN_THEMES)} giai đoạn {start_year}–{end_year}"
        short_name = f"Phong trào số {i + 1}"
        plan_number = f"{PREFIX}{i + 1:03d}/KH-TĐKT"
        position, signer = rng.choice(ISSUER_TITLES)
        status = rng.choices(
            [CampaignStatus.LAUNCHED, CampaignStatus.DRAFT, CampaignStatus.CLOSED],
            weights=[6, 2, 2],
        )[0]
        campaigns.append(
            Campaign(
                name=name,
                short_name=short_name,
                kind=rng.choice(CampaignKind.values),
                issuing_unit=issuer,
                plan_number=plan_number,
                plan_date=datetime.date(start_year, 1, rng.randint(5, 28)),
                signer_name=signer,
                signer_position=position,
                objectives="Phát huy tinh thần thi đua yêu nước, hoàn thành xuất sắc nhiệm vụ.",
                motto="Đoàn kết, kỷ cương, sáng tạo, hiệu quả",
                start_year=start_year,
                end_year=end_year,
                status=status,
                registration_deadline=datetime.date(start_year, 3, 31),
                launched_on=datetime.date(start_year, 2, 1)
                if status != CampaignStatus.DRAFT
                else None,
                closed_on=datetime.date(end_year, 12, 31)
                if status == CampaignStatus.CLOSED
                else None,
                search_text=Campaign.fold_fields(name, short_name, plan_number),
            )
        )
    campaigns = bulk_create_with_history(campaigns, Campaign, batch_size=BATCH_SIZE)
    Campaign.participating_units.through.objects.bulk_create(
        Campaign.participating_units.through(campaign_id=c.pk, unit_id=c.issuing_unit_id)
        for c in campaigns
    )

    phases, areas, milestones = [], [], []
    area_targets: list[list[tuple[str, Decimal | None, str]]] = []
    for campaign in campaigns:
        phases += _phases(campaign)
        for number in range(1, rng.randint(3, 5) + 1):
            areas.append(
                ContentArea(
                    campaign=campaign,
                    number=number,
                    title=rng.choice(AREA_TITLES),
                    description="Các đơn vị chủ động xây dựng kế hoạch, tổ chức thực hiện.",
                )
            )
            area_targets.append(rng.sample(TARGETS, rng.randint(1, 3)))
        for title in rng.sample(MILESTONES, rng.randint(3, 5)):
            due = datetime.date(
                rng.randint(campaign.start_year, campaign.end_year),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            milestones.append(
                Milestone(
                    campaign=campaign,
                    title=title,
                    due_date=due,
                    responsible_unit_id=campaign.issuing_unit_id,
                    done_date=due if due.year < 2024 and rng.random() < 0.7 else None,
                )
            )
    bulk_create_with_history(phases, Phase, batch_size=BATCH_SIZE)
    areas = bulk_create_with_history(areas, ContentArea, batch_size=BATCH_SIZE)
    targets = [
        Target(content_area=area, number=n, text=text, goal=goal, unit_of_measure=measure)
        for area, chosen in zip(areas, area_targets, strict=True)
        for n, (text, goal, measure) in enumerate(chosen, start=1)
    ]
    bulk_create_with_history(targets, Target, batch_size=BATCH_SIZE)
    bulk_create_with_history(milestones, Milestone, batch_size=BATCH_SIZE)


def _phases(campaign: Campaign) -> list[Phase]:
    """Two phases filling the campaign's years: an interim review, then the final one."""
    middle = campaign.start_year + (campaign.end_year - campaign.start_year - 1) // 2
    phases = [
        Phase(
            campaign=campaign,
            number=1,
            name=f"Giai đoạn 1 ({campaign.start_year}–{middle})",
            start_date=datetime.date(campaign.start_year, 1, 1),
            end_date=datetime.date(middle, 12, 31),
            review_kind=ReviewKind.INTERIM,
            review_due_date=datetime.date(middle + 1, 1, 31),
        ),
        Phase(
            campaign=campaign,
            number=2,
            name=f"Giai đoạn 2 ({middle + 1}–{campaign.end_year})",
            start_date=datetime.date(middle + 1, 1, 1),
            end_date=datetime.date(campaign.end_year, 12, 31),
            review_kind=ReviewKind.FINAL,
            review_due_date=datetime.date(campaign.end_year, 12, 15),
        ),
    ]
    # Hold the seeded plans to the same rules as a plan typed in the browser.
    errors = check_phases(
        campaign.start_year,
        campaign.end_year,
        [
            PhaseInput(p.name, p.start_date, p.end_date, p.review_kind, p.review_due_date)
            for p in phases
        ],
    )
    if errors:
        raise CommandError(f"Giai đoạn không hợp lệ cho {campaign.plan_number}: {errors}")
    return phases


def _create_bench_user(body: Unit, password: str) -> str:
    password = password or secrets.token_urlsafe(12)
    user = get_user_model().objects.create_user(
        username=BENCH_USERNAME, password=password, first_name="Cán bộ đo hiệu năng"
    )
    RoleAssignment.objects.create(user=user, role=Role.HR_STAFF, unit=body)
    return password
