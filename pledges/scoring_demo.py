"""Demo scoring round: the central internal-affairs bloc's 2023 year-end scoring.

The table, the scores and the acclamation are fictional (seed 001 only tells
that the bloc reviewed 2023 at its conference of 10/04/2024, led by the State
Audit Office). Scores are drawn from a fixed seed, so every load gives the same
figures; loading twice changes nothing. Rows are written directly, not through
the services, because the round is long closed and its deadlines are past.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from campaigns.models import Unit

from .demo import INTERNAL_AFFAIRS
from .models import (
    Acclamation,
    Bloc,
    BlocYear,
    Criterion,
    CriterionGroup,
    CrossScore,
    FinalScore,
    ScoringStage,
    ScoringTable,
    SelfScore,
    StageReopening,
)
from .scoring_selectors import ranking
from .selectors import members_in

D = datetime.date
YEAR = 2023
MEETING_DAY = D(2024, 4, 10)

# (group title, [(criterion, maximum points)]): 10 criteria, 100 points in all.
TABLE: list[tuple[str, list[tuple[str, int]]]] = [
    (
        "Thực hiện nhiệm vụ chính trị, chuyên môn được giao",
        [
            ("Hoàn thành các chỉ tiêu, nhiệm vụ công tác trọng tâm năm 2023 được giao", 20),
            ("Chất lượng, hiệu quả công tác tham mưu, thực thi nhiệm vụ chuyên môn", 10),
            ("Cải cách hành chính, chuyển đổi số trong hoạt động của cơ quan", 10),
        ],
    ),
    (
        "Tổ chức phong trào thi đua và công tác khen thưởng",
        [
            ("Ban hành kế hoạch, phát động các phong trào thi đua thường xuyên, theo chuyên đề", 8),
            ("Phát hiện, bồi dưỡng, tuyên truyền, nhân rộng điển hình tiên tiến, cách làm hay", 8),
            (
                "Công tác khen thưởng kịp thời, công khai, đúng quy định; chú trọng người trực tiếp",
                7,
            ),
            ("Sơ kết, tổng kết phong trào; thực hiện chế độ thông tin, báo cáo với Khối", 7),
        ],
    ),
    (
        "Tham gia hoạt động chung của Khối thi đua",
        [
            ("Tham gia đầy đủ hội nghị, lễ ký kết giao ước và các hoạt động do Khối tổ chức", 10),
            ("Phối hợp, giao lưu, chia sẻ kinh nghiệm với các thành viên trong Khối", 10),
        ],
    ),
    (
        "Xây dựng tổ chức đảng, đoàn thể và văn hóa công sở",
        [
            (
                "Xây dựng tổ chức đảng, đoàn thể trong sạch, vững mạnh; thực hành tiết kiệm, "
                "chống lãng phí; thực hiện văn hóa công sở",
                10,
            ),
        ],
    ),
]

# How well each member did (share of the maximum it earns on average); fictional.
STRENGTH = {
    "KTNN": 0.955,
    "BCA": 0.95,
    "TANDTC": 0.935,
    "VKSNDTC": 0.93,
    "BTP": 0.92,
    "TTCP": 0.915,
    "TCCT": 0.94,
    "BTLBVL": 0.925,
}

# A self-assessment note per group of the table.
SELF_NOTES = {
    1: "Hoàn thành các chỉ tiêu theo kế hoạch công tác năm; số liệu tại báo cáo tổng kết.",
    2: "Đã ban hành kế hoạch, tổ chức phát động và sơ kết; có văn bản, hình ảnh minh chứng.",
    3: "Tham gia đầy đủ các hội nghị, hoạt động của Khối; cử cán bộ dự các buổi giao lưu.",
    4: "Tổ chức đảng, đoàn thể được xếp loại hoàn thành tốt nhiệm vụ trở lên.",
}

ACCLAMATION_MINUTES = (
    "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2023 của Khối thi đua các bộ, "
    "ngành nội chính Trung ương họp ngày 10/4/2024 tại Hà Nội, do Kiểm toán nhà nước, đơn "
    "vị Khối trưởng năm 2023, chủ trì, với sự tham dự của đại diện lãnh đạo 8/8 đơn vị "
    "thành viên. Căn cứ kết quả tự chấm và chấm chéo theo bảng điểm của Khối, Hội nghị "
    "thảo luận, thống nhất kết quả chấm điểm và bỏ phiếu suy tôn hai đơn vị dẫn đầu phong "
    "trào thi đua năm 2023, đề nghị Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ."
)


def _points(maximum: int, share: float, rng: random.Random) -> Decimal:
    """A mark on a 0.5-point grid around ``share`` of the maximum, within 0..maximum."""
    value = maximum * (share + rng.uniform(-0.06, 0.04))
    value = min(max(round(value * 2) / 2, 0), maximum)
    return Decimal(str(value))


def _table(bloc_year: BlocYear) -> tuple[ScoringTable, list[Criterion]]:
    table, _ = ScoringTable.objects.get_or_create(
        bloc_year=bloc_year,
        defaults={
            "stage": ScoringStage.CLOSED,
            "self_deadline": D(2023, 12, 15),
            "cross_deadline": D(2024, 1, 31),
        },
    )
    criteria = []
    for group_number, (title, items) in enumerate(TABLE, 1):
        group, _ = CriterionGroup.objects.get_or_create(
            table=table, number=group_number, defaults={"title": title}
        )
        for number, (text, maximum) in enumerate(items, 1):
            criterion, _ = Criterion.objects.get_or_create(
                group=group, number=number, defaults={"text": text, "max_points": maximum}
            )
            criteria.append(criterion)
    return table, criteria


def _scores(table: ScoringTable, criteria: list[Criterion], members: list[Unit], by) -> None:
    if CrossScore.objects.filter(criterion__group__table=table).exists():
        return
    rng = random.Random(2023)  # noqa: S311 - fixed seed: the same demo figures everywhere
    selfs, crosses = [], []
    for member in members:
        share = STRENGTH.get(member.code, 0.9)
        for criterion in criteria:
            maximum = int(criterion.max_points)
            selfs.append(
                SelfScore(
                    criterion=criterion,
                    member=member,
                    # Members rate themselves a little higher than their peers do.
                    points=_points(maximum, min(share + 0.03, 1.0), rng),
                    note=SELF_NOTES.get(criterion.group.number, ""),
                    recorded_by=by,
                )
            )
            for scorer in members:
                if scorer != member:
                    crosses.append(
                        CrossScore(
                            criterion=criterion,
                            scorer=scorer,
                            scored=member,
                            points=_points(maximum, share, rng),
                            recorded_by=by,
                        )
                    )
    # One scorer who disagrees sharply, so the results page has a spread to show.
    outlier = next(c for c in crosses if c.criterion == criteria[1] and c.scored.code == "BTP")
    outlier.points = Decimal(6)
    bulk_create_with_history(selfs, SelfScore, default_user=by)
    bulk_create_with_history(crosses, CrossScore, default_user=by)
    btp = next((m for m in members if m.code == "BTP"), None)
    if btp is not None:
        FinalScore.objects.create(
            criterion=criteria[1],
            member=btp,
            points=Decimal("9.5"),
            reason="Hội nghị xem xét minh chứng bổ sung, thống nhất điểm tiêu chí 1.2.",
            set_by=by,
        )


def _acclamations(bloc_year: BlocYear, table: ScoringTable, by, member_count: int) -> None:
    if bloc_year.acclamations.exists():
        return
    top_two = list(ranking(table)[:2])
    for member, votes_for in zip(top_two, (member_count, member_count - 1), strict=False):
        Acclamation.objects.create(
            bloc_year=bloc_year,
            member=member,
            votes_for=votes_for,
            votes_total=member_count,
            meeting_date=MEETING_DAY,
            proposed_for_flag=True,
            minutes=ACCLAMATION_MINUTES,
            recorded_by=by,
        )


@transaction.atomic
def load(stdout: TextIO) -> list[tuple[str, str]]:
    bloc = Bloc.objects.filter(name=INTERNAL_AFFAIRS).first()
    if bloc is None:
        stdout.write("Chấm điểm: chưa có Khối nội chính, bỏ qua.\n")
        return []
    bloc_year, _ = BlocYear.objects.get_or_create(
        bloc=bloc, year=YEAR, defaults={"leader": Unit.objects.filter(code="KTNN").first()}
    )
    members = list(members_in(bloc, YEAR))
    if len(members) < 2:
        stdout.write("Chấm điểm: khối chưa đủ thành viên, bỏ qua.\n")
        return []
    by = get_user_model().objects.filter(username="thuky.noichinh").first()
    table, criteria = _table(bloc_year)
    _scores(table, criteria, members, by)
    if by is not None and not table.reopenings.exists():
        reopening = StageReopening.objects.create(
            table=table,
            stage=ScoringStage.SELF,
            until=D(2023, 12, 22),
            reason="Bộ Tư lệnh Bảo vệ Lăng Chủ tịch Hồ Chí Minh đề nghị gia hạn tự chấm một "
            "tuần do thực hiện nhiệm vụ đột xuất.",
            by=by,
        )
        # ``at`` is set on insert; date the demo reopening when it would have happened.
        StageReopening.objects.filter(pk=reopening.pk).update(
            at=timezone.make_aware(datetime.datetime(2023, 12, 16, 9, 30))
        )
    _acclamations(bloc_year, table, by, len(members))
    stdout.write(
        f"Chấm điểm {YEAR}: {len(criteria)} tiêu chí, {len(members)} thành viên, "
        f"{bloc_year.acclamations.count()} đơn vị được suy tôn\n"
    )
    return []
