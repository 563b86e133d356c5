"""Demo blocs, bloc years and pledges from seeds 001 and 004. Loading twice changes nothing.

Seed 001: the bloc of central internal-affairs bodies; the State Audit Office
led it in 2023 and handed the rotating flag to the Supreme People's Court, the
2024 leader, at the 2023 review conference on 10/04/2024, where the 2024 pledge
was signed. Seed 004: the bloc of the Government Inspectorate's non-business
units signed its 2023 pledge on the theme "Siết chặt kỷ cương, tăng cường hiệu
quả". Deputies, signatories, the 2023 ceremony date and places are fictional.
"""

from __future__ import annotations

import datetime
from importlib import import_module
from importlib.util import find_spec
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, Unit

from .models import (
    Bloc,
    BlocLevel,
    BlocMembership,
    BlocSecretariat,
    BlocYear,
    Commitment,
    Pledge,
    PledgeStatus,
    Signature,
)

D = datetime.date

INTERNAL_AFFAIRS = "Khối thi đua các bộ, ngành nội chính Trung ương"
INSPECTORATE_SERVICES = "Khối Các đơn vị sự nghiệp Thanh tra Chính phủ"

BLOCS = {
    INTERNAL_AFFAIRS: {
        "short_name": "Khối Nội chính",
        "level": BlocLevel.CENTRAL,
        "organiser": None,
        "members": ["BCA", "BTP", "TANDTC", "VKSNDTC", "TTCP", "KTNN", "TCCT", "BTLBVL"],
    },
    INSPECTORATE_SERVICES: {
        "short_name": "Khối sự nghiệp TTCP",
        "level": BlocLevel.INTERNAL,
        "organiser": "TTCP",
        "members": ["TTCP-BAO", "TTCP-TAPCHI", "TTCP-TRUONG", "TTCP-VIEN", "TTCP-TTTT"],
    },
}

# bloc -> year -> (leader, deputies, flag hand-over date, occasion)
YEARS: dict[str, dict[int, tuple[str, list[str], datetime.date | None, str]]] = {
    INTERNAL_AFFAIRS: {
        2023: ("KTNN", ["TANDTC", "TTCP"], None, ""),
        2024: (
            "TANDTC",
            ["VKSNDTC", "BTP"],
            D(2024, 4, 10),
            "Hội nghị tổng kết công tác TĐKT năm 2023",
        ),
    },
    INSPECTORATE_SERVICES: {
        2023: ("TTCP-BAO", ["TTCP-TRUONG"], None, ""),
    },
}

PLEDGES: list[dict[str, Any]] = [
    {
        "bloc": INTERNAL_AFFAIRS,
        "year": 2024,
        "title": "Giao ước thi đua năm 2024 của Khối thi đua các bộ, ngành nội chính Trung ương",
        "ceremony_date": D(2024, 4, 10),
        "place": "Trụ sở Kiểm toán nhà nước, Hà Nội",
        "campaigns": [],
        "commitments": [
            "Đổi mới nội dung, phương thức tổ chức các phong trào thi đua và nâng cao chất "
            "lượng công tác khen thưởng; tổ chức các phong trào thi đua có chiều sâu, gắn với "
            "lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị, chuyên môn của từng Bộ, ngành.",
            "Đẩy mạnh kiểm tra, sơ kết, tổng kết, đánh giá các phong trào thi đua, công tác "
            "khen thưởng gắn với kiểm tra, sơ kết, tổng kết việc thực hiện nhiệm vụ của cơ "
            "quan, đơn vị; xây dựng, sửa đổi, bổ sung các tiêu chí thi đua bám sát nhiệm vụ "
            "chính trị của từng Bộ, ngành trong Khối.",
            "Kiện toàn Hội đồng Thi đua - Khen thưởng, Hội đồng Sáng kiến các cấp, nâng cao "
            "chất lượng công tác tham mưu tổ chức các phong trào thi đua yêu nước.",
            "Tăng cường giao lưu, chia sẻ kinh nghiệm trong tổ chức phong trào thi đua và trong "
            "xây dựng, nhân rộng gương điển hình tiên tiến, các mô hình mới, cách làm hay.",
            "Quan tâm bảo đảm nguồn lực, bố trí tổ chức bộ máy làm công tác thi đua, khen "
            "thưởng; nâng cao vai trò, trách nhiệm của Cơ quan Thường trực Thi đua - Khen thưởng.",
        ],
        "signatures": {
            "BCA": ("Trần Quốc Bảo", "Thượng tướng, Thứ trưởng Bộ Công an"),
            "BTP": ("Lê Thị Minh Châu", "Thứ trưởng Bộ Tư pháp"),
            "TANDTC": ("Nguyễn Văn Đạt", "Phó Chánh án Tòa án nhân dân tối cao"),
            "VKSNDTC": ("Phạm Thị Thu Hằng", "Phó Viện trưởng Viện kiểm sát nhân dân tối cao"),
            "TTCP": ("Đỗ Mạnh Cường", "Phó Tổng Thanh tra Chính phủ"),
            "KTNN": ("Hoàng Văn Khánh", "Phó Tổng Kiểm toán nhà nước"),
            "TCCT": (
                "Vũ Đình Long",
                "Trung tướng, Phó Chủ nhiệm Tổng cục Chính trị Quân đội nhân dân Việt Nam",
            ),
            "BTLBVL": (
                "Bùi Quang Hưng",
                "Thiếu tướng, Phó Tư lệnh Bộ Tư lệnh Bảo vệ Lăng Chủ tịch Hồ Chí Minh",
            ),
        },
    },
    {
        "bloc": INSPECTORATE_SERVICES,
        "year": 2023,
        "title": "Giao ước thi đua năm 2023 của Khối Các đơn vị sự nghiệp Thanh tra Chính phủ: "
        "“Siết chặt kỷ cương, tăng cường hiệu quả”",
        "ceremony_date": D(2023, 3, 16),
        "place": "Báo Thanh tra, Hà Nội",
        "campaigns": ["Siết chặt kỷ cương, tăng cường hiệu quả năm 2023"],
        "commitments": [
            "Đẩy mạnh các phong trào thi đua yêu nước, thực hiện chủ đề thi đua năm 2023 do "
            "Thanh tra Chính phủ phát động “Siết chặt kỷ cương, tăng cường hiệu quả”; vận động "
            "viên chức, người lao động toàn khối hoàn thành và hoàn thành vượt mức các chỉ tiêu, "
            "nhiệm vụ chính trị được giao.",
            "Tiếp tục đổi mới công tác thi đua theo tinh thần Chỉ thị số 34-CT/TW của Bộ Chính "
            "trị: đổi mới nội dung, hình thức, phương pháp tổ chức các phong trào thi đua theo "
            "hướng thiết thực, hiệu quả, đúng quy định pháp luật.",
            "Triển khai có hiệu quả các văn bản về phòng, chống tham nhũng, tiêu cực; tập trung "
            "kiểm tra trách nhiệm của người đứng đầu trong thực hiện pháp luật về phòng, chống "
            "tham nhũng, nhất là kê khai, xác minh tài sản, thu nhập.",
            "Tăng cường kỷ luật, kỷ cương; nâng cao trách nhiệm của viên chức, người lao động, "
            "nhất là của người đứng đầu; học tập và làm theo tư tưởng, đạo đức, phong cách Hồ "
            "Chí Minh.",
            "Thi đua đổi mới hình thức, phương pháp hoạt động thanh tra; áp dụng công nghệ "
            "thông tin trong hoạt động thanh tra.",
            "Đẩy mạnh cải cách hành chính, xây dựng thể chế và xây dựng ngành.",
            "Tiếp tục hưởng ứng các phong trào thi đua “Cả nước chung sức xây dựng nông thôn "
            "mới”, “Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau”, “Cán bộ, "
            "công chức, viên chức thi đua thực hiện văn hoá công sở”.",
        ],
        "signatures": {
            "TTCP-BAO": ("Nguyễn Thị Thanh Hương", "Phó Tổng Biên tập"),
            "TTCP-TAPCHI": ("Trần Đức Thắng", "Phó Tổng Biên tập"),
            "TTCP-TRUONG": ("Lê Văn Phúc", "Phó Hiệu trưởng"),
            "TTCP-VIEN": ("Phạm Minh Tâm", "Phó Viện trưởng"),
            "TTCP-TTTT": ("Vũ Thị Lan Anh", "Phó Giám đốc"),
        },
    },
]


def _blocs(units: dict[str, Unit]) -> dict[str, Bloc]:
    blocs = {}
    for name, spec in BLOCS.items():
        bloc, _ = Bloc.objects.get_or_create(
            name=name,
            defaults={
                "short_name": spec["short_name"],
                "level": spec["level"],
                "organiser": units.get(spec["organiser"]) if spec["organiser"] else None,
            },
        )
        for code in spec["members"]:
            BlocMembership.objects.get_or_create(
                bloc=bloc, unit=units[code], joined_on=D(2020, 1, 1)
            )
        blocs[name] = bloc
    return blocs


def _years(blocs: dict[str, Bloc], units: dict[str, Unit]) -> dict[tuple[str, int], BlocYear]:
    years = {}
    for name, by_year in YEARS.items():
        for year, (leader, deputies, handover, occasion) in by_year.items():
            bloc_year, created = BlocYear.objects.get_or_create(
                bloc=blocs[name],
                year=year,
                defaults={
                    "leader": units[leader],
                    "flag_handover_date": handover,
                    "flag_handover_occasion": occasion,
                },
            )
            if created:
                bloc_year.deputies.set([units[code] for code in deputies])
            years[(name, year)] = bloc_year
    return years


def _pledges(years: dict[tuple[str, int], BlocYear], units: dict[str, Unit], by: Any) -> None:
    for spec in PLEDGES:
        bloc_year = years[(spec["bloc"], spec["year"])]
        if Pledge.objects.filter(bloc_year=bloc_year, title=spec["title"]).exists():
            continue
        ceremony = spec["ceremony_date"]
        pledge = Pledge.objects.create(
            bloc_year=bloc_year,
            title=spec["title"],
            ceremony_date=ceremony,
            place=spec["place"],
            status=PledgeStatus.SIGNED,
            signed_at=timezone.make_aware(datetime.datetime.combine(ceremony, datetime.time(10))),
            created_by=by,
        )
        pledge.campaigns.set(Campaign.objects.filter(name__in=spec["campaigns"]))
        Commitment.objects.bulk_create(
            Commitment(pledge=pledge, number=number, text=text)
            for number, text in enumerate(spec["commitments"], 1)
        )
        for code, (name, position) in spec["signatures"].items():
            Signature.objects.create(
                pledge=pledge,
                member=units[code],
                signatory_name=name,
                signatory_position=position,
                signed_on=ceremony,
                recorded_by=by,
            )


@transaction.atomic
def load(stdout: TextIO) -> list[tuple[str, str]]:
    units = {u.code: u for u in Unit.objects.all()}
    blocs = _blocs(units)
    years = _years(blocs, units)
    secretary = get_user_model().objects.filter(username="thuky.noichinh").first()
    if secretary:
        BlocSecretariat.objects.get_or_create(user=secretary, bloc=blocs[INTERNAL_AFFAIRS])
    _pledges(years, units, secretary)
    stdout.write(
        f"Khối thi đua: {len(BLOCS)}; năm thi đua: {len(years)}; giao ước: {len(PLEDGES)}\n"
    )
    # load_demo only visits each app's ``demo`` module: the scoring round (its own
    # module, needing the bloc years above) is loaded from here.
    if find_spec("pledges.scoring_demo") is not None:
        return import_module("pledges.scoring_demo").load(stdout)
    return []
