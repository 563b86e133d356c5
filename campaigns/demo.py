"""Demo data built from the seed articles (shared/seeds): real bodies, campaigns,
phases and dates; fictional people. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime
import os
import random
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    ContentArea,
    Gender,
    Milestone,
    Person,
    Phase,
    ReviewKind,
    Role,
    RoleAssignment,
    Target,
    Unit,
    UnitKind,
)

D = datetime.date
# Demo accounts only; a deployment never runs load_demo (the command refuses without DEBUG).
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "ThiDua@2026")

# (code, name, short name, kind, parent code)
UNITS: list[tuple[str, str, str, str, str | None]] = [
    ("KTNN", "Kiểm toán nhà nước", "KTNN", UnitKind.BODY, None),
    ("KTNN-TCCB", "Vụ Tổ chức cán bộ", "Vụ TCCB", UnitKind.DEPARTMENT, "KTNN"),
    ("KTNN-TCCB-TDKT", "Phòng Thi đua – Khen thưởng", "Phòng TĐKT", UnitKind.DIVISION, "KTNN-TCCB"),
    ("KTNN-VP", "Văn phòng Kiểm toán nhà nước", "Văn phòng", UnitKind.DEPARTMENT, "KTNN"),
    ("KTNN-CN1A", "Kiểm toán nhà nước chuyên ngành Ia", "KTNN CN Ia", UnitKind.DEPARTMENT, "KTNN"),
    ("KTNN-KV1", "Kiểm toán nhà nước khu vực I", "KTNN KV I", UnitKind.DEPARTMENT, "KTNN"),
    ("KTNN-KV1-P1", "Phòng Kiểm toán số 1", "Phòng KT1", UnitKind.DIVISION, "KTNN-KV1"),
    (
        "KTNN-TRUONG",
        "Trường Đào tạo và Bồi dưỡng nghiệp vụ kiểm toán",
        "Trường ĐT&BD",
        UnitKind.SERVICE,
        "KTNN",
    ),
    ("TCHQ", "Tổng cục Hải quan", "TCHQ", UnitKind.BODY, None),
    ("TCHQ-TCCB", "Vụ Tổ chức cán bộ", "Vụ TCCB", UnitKind.DEPARTMENT, "TCHQ"),
    ("TCHQ-HN", "Cục Hải quan thành phố Hà Nội", "Cục HQ Hà Nội", UnitKind.DEPARTMENT, "TCHQ"),
    (
        "TCHQ-HCM",
        "Cục Hải quan Thành phố Hồ Chí Minh",
        "Cục HQ TP.HCM",
        UnitKind.DEPARTMENT,
        "TCHQ",
    ),
    ("TCHQ-TRUONG", "Trường Hải quan Việt Nam", "Trường HQVN", UnitKind.SERVICE, "TCHQ"),
    ("VKSNDTC", "Viện kiểm sát nhân dân tối cao", "VKSNDTC", UnitKind.BODY, None),
    ("VKSNDTC-TDKT", "Vụ Thi đua – Khen thưởng", "Vụ TĐKT", UnitKind.DEPARTMENT, "VKSNDTC"),
    (
        "VKSNDTC-HN",
        "Viện kiểm sát nhân dân thành phố Hà Nội",
        "VKSND Hà Nội",
        UnitKind.DEPARTMENT,
        "VKSNDTC",
    ),
    ("BCA", "Bộ Công an", "BCA", UnitKind.BODY, None),
    ("BTP", "Bộ Tư pháp", "BTP", UnitKind.BODY, None),
    ("TANDTC", "Tòa án nhân dân tối cao", "TANDTC", UnitKind.BODY, None),
    ("TTCP", "Thanh tra Chính phủ", "TTCP", UnitKind.BODY, None),
    ("TTCP-BAO", "Báo Thanh tra", "Báo Thanh tra", UnitKind.SERVICE, "TTCP"),
    ("TTCP-TAPCHI", "Tạp chí Thanh tra", "Tạp chí Thanh tra", UnitKind.SERVICE, "TTCP"),
    ("TTCP-TRUONG", "Trường Cán bộ Thanh tra", "Trường CBTT", UnitKind.SERVICE, "TTCP"),
    (
        "TTCP-VIEN",
        "Viện Chiến lược và Khoa học thanh tra",
        "Viện CL&KHTT",
        UnitKind.SERVICE,
        "TTCP",
    ),
    ("TTCP-TTTT", "Trung tâm Thông tin", "Trung tâm TT", UnitKind.SERVICE, "TTCP"),
    ("TCCT", "Tổng cục Chính trị Quân đội nhân dân Việt Nam", "TCCT QĐND", UnitKind.BODY, None),
    (
        "BTLBVL",
        "Bộ Tư lệnh Bảo vệ Lăng Chủ tịch Hồ Chí Minh",
        "BTL Bảo vệ Lăng",
        UnitKind.BODY,
        None,
    ),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Xuân"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Phương", "Hồng"]
GIVEN_M = [
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phúc",
    "Sơn",
    "Tuấn",
]
GIVEN_F = [
    "An",
    "Chi",
    "Giang",
    "Hà",
    "Hạnh",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Ngân",
    "Thảo",
    "Trang",
]
POSITIONS = [
    "Chuyên viên",
    "Chuyên viên chính",
    "Kiểm toán viên",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Cán sự",
]

KTNN_CAMPAIGN = (
    "KTNN thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời giai đoạn 2023-2030"
)
KTNN_CULTURE = (
    "Cán bộ, công chức, viên chức KTNN thi đua thực hiện văn hóa công sở giai đoạn 2019-2025"
)
TCHQ_CAMPAIGN = "Tổng cục Hải quan thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời giai đoạn 2024-2030"
VKS_CAMPAIGN = (
    "Ngành Kiểm sát nhân dân thi đua thực hành tiết kiệm, chống lãng phí giai đoạn 2023-2030"
)
TTCP_CAMPAIGN = "Siết chặt kỷ cương, tăng cường hiệu quả năm 2023"

# campaign name -> (short, issuing code, kind, years, signer, position, motto, status, objectives)
CAMPAIGNS = {
    KTNN_CULTURE: {
        "short_name": "Văn hóa công sở KTNN",
        "issuing": "KTNN",
        "kind": CampaignKind.THEMATIC,
        "years": (2019, 2025),
        "signer": ("", "Tổng Kiểm toán nhà nước"),
        "motto": "",
        "status": CampaignStatus.LAUNCHED,
        "objectives": "Cán bộ, công chức, viên chức KTNN thi đua thực hiện văn hóa công sở.",
        "phases": [
            (
                "Giai đoạn 2019-2025",
                D(2019, 1, 1),
                D(2025, 12, 31),
                ReviewKind.FINAL,
                D(2025, 12, 31),
            ),
        ],
        "areas": [("Thực hiện văn hóa công sở", [])],
        "milestones": [],
    },
    KTNN_CAMPAIGN: {
        "short_name": "KTNN xây dựng xã hội học tập",
        "issuing": "KTNN",
        "kind": CampaignKind.REGULAR,
        "years": (2023, 2030),
        "signer": ("Ngô Văn Tuấn", "Tổng Kiểm toán nhà nước"),
        "motto": "Chất lượng và đạo đức công vụ",
        "status": CampaignStatus.LAUNCHED,
        "objectives": (
            "Triển khai sâu rộng trong toàn Ngành, tạo động lực và sức lan tỏa, thúc đẩy từng đơn vị, "
            "từng cán bộ, công chức, viên chức, người lao động KTNN thi đua học tập, góp phần thực "
            'hiện thắng lợi mục tiêu "nhà học tập, ngành học tập, cả nước học tập".'
        ),
        "phases": [
            (
                "Giai đoạn 1 (2023-2025)",
                D(2023, 1, 1),
                D(2025, 12, 31),
                ReviewKind.INTERIM,
                D(2025, 12, 31),
            ),
            (
                "Giai đoạn 2 (2026-2030)",
                D(2026, 1, 1),
                D(2030, 12, 31),
                ReviewKind.FINAL,
                D(2030, 12, 31),
            ),
        ],
        "areas": [
            (
                "Tuyên truyền, phổ biến, nâng cao nhận thức về khuyến học, khuyến tài, học tập suốt đời, xây dựng KTNN học tập",
                [("Tỷ lệ đơn vị tổ chức tuyên truyền về học tập suốt đời", 100, "%")],
            ),
            (
                "Thi đua học tập suốt đời; phát huy sáng kiến, giải pháp phát triển văn hóa học tập",
                [("Số sáng kiến về học tập được công nhận", 20, "sáng kiến")],
            ),
            (
                "Ứng dụng công nghệ thông tin, ứng dụng số trong đào tạo, bồi dưỡng để học tập mọi lúc, mọi nơi",
                [
                    (
                        "Số khóa học trực tuyến do Trường Đào tạo và Bồi dưỡng nghiệp vụ kiểm toán tổ chức",
                        30,
                        "khóa",
                    )
                ],
            ),
            (
                "Nâng cao năng lực sử dụng công nghệ hiện đại, ngoại ngữ, ứng dụng số cho cán bộ, công chức, viên chức, người lao động",
                [("Tỷ lệ kiểm toán viên được bồi dưỡng kỹ năng số", 80, "%")],
            ),
            (
                "Xây dựng mô hình Kiểm toán viên nhà nước học tập, văn hóa học tập trong toàn Ngành",
                [],
            ),
        ],
        "milestones": [
            (
                "Ban hành Kế hoạch phát động và hướng dẫn khen thưởng",
                D(2024, 3, 31),
                "KTNN-TCCB",
                D(2024, 2, 20),
            ),
            ("Sơ kết giai đoạn 1, rút kinh nghiệm", D(2025, 12, 31), "KTNN-TCCB", D(2025, 12, 18)),
            (
                "Tổng kết phong trào theo Kế hoạch của Hội đồng TĐKT Trung ương",
                D(2030, 12, 31),
                "KTNN-TCCB",
                None,
            ),
        ],
        "linked": [KTNN_CULTURE],
    },
    TCHQ_CAMPAIGN: {
        "short_name": "Hải quan xây dựng xã hội học tập",
        "issuing": "TCHQ",
        "kind": CampaignKind.REGULAR,
        "years": (2024, 2030),
        "signer": ("", "Tổng cục trưởng Tổng cục Hải quan"),
        "motto": "",
        "status": CampaignStatus.LAUNCHED,
        "objectives": (
            "Tuyên truyền, nâng cao nhận thức, trách nhiệm của đội ngũ công chức, viên chức, người làm "
            "việc trong ngành Hải quan về vai trò, ý nghĩa của việc chủ động, tích cực học tập và tự "
            "học tập nâng cao trình độ."
        ),
        "phases": [
            (
                "Giai đoạn 1 (2024-2025)",
                D(2024, 1, 1),
                D(2025, 12, 31),
                ReviewKind.INTERIM,
                D(2025, 12, 31),
            ),
            (
                "Giai đoạn 2 (2026-2030)",
                D(2026, 1, 1),
                D(2030, 12, 31),
                ReviewKind.FINAL,
                D(2030, 12, 31),
            ),
        ],
        "areas": [
            (
                "Tuyên truyền, nâng cao nhận thức về học tập và tự học tập; xây dựng Hải quan số, Hải quan thông minh",
                [],
            ),
            (
                "Nâng cao năng lực sử dụng công nghệ học tập hiện đại, chuyển đổi số trong học tập suốt đời",
                [("Số lớp bồi dưỡng về chuyển đổi số", 12, "lớp")],
            ),
            (
                "Nghiên cứu áp dụng phương pháp đào tạo hiện đại đáp ứng yêu cầu vị trí việc làm",
                [("Số giảng viên được WCO công nhận", 5, "người")],
            ),
            ("Tiếp cận xu thế và kinh nghiệm quốc tế; luân chuyển để đào tạo, bồi dưỡng", []),
            (
                "Đẩy mạnh học tập, tự học tập nâng cao trình độ chuyên môn, nghiệp vụ; xây dựng văn hóa học tập",
                [],
            ),
        ],
        "milestones": [
            (
                "Sơ kết giai đoạn 1 tại cấp cơ sở và cấp Tổng cục",
                D(2025, 12, 15),
                "TCHQ-TCCB",
                None,
            ),
            ("Tổng kết phong trào", D(2030, 12, 31), "TCHQ-TCCB", None),
        ],
    },
    VKS_CAMPAIGN: {
        "short_name": "KSND thực hành tiết kiệm, chống lãng phí",
        "issuing": "VKSNDTC",
        "kind": CampaignKind.THEMATIC,
        "years": (2023, 2030),
        "signer": ("", "Viện trưởng Viện kiểm sát nhân dân tối cao"),
        "motto": "",
        "status": CampaignStatus.LAUNCHED,
        "objectives": (
            "Tạo khí thế thi đua sôi nổi, nâng cao ý thức, trách nhiệm của cán bộ, công chức, viên chức, "
            "người lao động ngành KSND trong thực hành tiết kiệm, chống lãng phí.\n"
            "Ghi chú: bài báo nguồn ghi Giai đoạn 1 từ 2022 trong khi phong trào bắt đầu năm 2023; "
            "hệ thống không chấp nhận mốc 2022 nên Giai đoạn 1 được nhập từ 2023."
        ),
        "phases": [
            (
                "Giai đoạn 1 (2023-2025)",
                D(2023, 1, 1),
                D(2025, 12, 31),
                ReviewKind.INTERIM,
                D(2025, 12, 31),
            ),
            (
                "Giai đoạn 2 (2026-2030)",
                D(2026, 1, 1),
                D(2030, 12, 31),
                ReviewKind.FINAL,
                D(2030, 12, 31),
            ),
        ],
        "areas": [
            (
                "Nâng cao vai trò, trách nhiệm trong thực hiện chức năng, nhiệm vụ; kiến nghị hoàn thiện cơ chế, chính sách",
                [],
            ),
            (
                "Thực hành tiết kiệm trong quản lý, sử dụng ngân sách; giải ngân vốn đầu tư công đúng kế hoạch",
                [("Tỷ lệ giải ngân vốn đầu tư công", 95, "%")],
            ),
            ("Chống tham ô, lãng phí trong mua sắm, quản lý, sử dụng tài sản công", []),
            ("Chuyển đổi số, ứng dụng công nghệ thông tin để giảm chi phí", []),
            ("Bố trí, sử dụng hiệu quả nguồn nhân lực và thời gian lao động", []),
        ],
        "milestones": [
            (
                "Ban hành kế hoạch hướng dẫn tổ chức triển khai",
                D(2023, 9, 30),
                "VKSNDTC-TDKT",
                D(2023, 9, 15),
            ),
            ("Sơ kết giai đoạn 1 toàn ngành KSND", D(2025, 12, 31), "VKSNDTC-TDKT", None),
        ],
    },
    TTCP_CAMPAIGN: {
        "short_name": "Siết chặt kỷ cương 2023",
        "issuing": "TTCP",
        "kind": CampaignKind.THEMATIC,
        "years": (2023, 2023),
        "signer": ("", "Tổng Thanh tra Chính phủ"),
        "motto": "Siết chặt kỷ cương, tăng cường hiệu quả",
        "status": CampaignStatus.CLOSED,
        "objectives": "Chủ đề thi đua năm 2023 do Thanh tra Chính phủ phát động.",
        "phases": [
            ("Năm 2023", D(2023, 1, 1), D(2023, 12, 31), ReviewKind.FINAL, D(2023, 12, 31)),
        ],
        "areas": [
            (
                "Đổi mới hình thức, phương pháp hoạt động thanh tra; ứng dụng công nghệ thông tin",
                [],
            ),
            ("Tăng cường kỷ luật, kỷ cương; nâng cao trách nhiệm của người đứng đầu", []),
        ],
        "milestones": [],
    },
}

# username -> (full name, role, unit code)
USERS: list[tuple[str, str, str | None, str | None]] = [
    ("canbo.tdkt", "Trần Thu Hà", Role.HR_STAFF, "KTNN"),
    ("daumoi.kv1", "Lê Minh Tuấn", Role.FOCAL_POINT, "KTNN-KV1"),
    ("daumoi.truong", "Phạm Ngọc Lan", Role.FOCAL_POINT, "KTNN-TRUONG"),
    ("daumoi.haiquan", "Vũ Quang Hải", Role.FOCAL_POINT, "TCHQ-HN"),
    ("lanhdao", "Nguyễn Đức Anh", Role.LEADER, "KTNN"),
    ("hoidong", "Đỗ Thị Hạnh", Role.COUNCIL_MEMBER, "KTNN"),
    ("thuky.noichinh", "Hoàng Thanh Giang", None, None),
    ("quantri", "Bùi Văn Nam", Role.ADMINISTRATOR, "KTNN"),
]


def _person_name(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}", Gender.MALE
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}", Gender.FEMALE


def _units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for code, name, short, kind, parent in UNITS:
        unit = Unit.objects.filter(code=code).first() or Unit(code=code)
        unit.name, unit.short_name, unit.kind = name, short, kind
        unit.parent = units[parent] if parent else None
        unit.save()
        units[code] = unit
    return units


def _people(units: dict[str, Unit]) -> int:
    rng = random.Random(2023)
    created = 0
    for code, unit in units.items():
        if Person.objects.filter(unit=unit).exists():
            continue
        for n in range(1, 7):
            name, gender = _person_name(rng)
            Person.objects.create(
                unit=unit,
                full_name=name,
                gender=gender,
                position=rng.choice(POSITIONS),
                birth_year=rng.randint(1965, 1998),
                staff_code=f"{code}-{n:03d}",
            )
            created += 1
    return created


def _campaigns(units: dict[str, Unit], by: object) -> None:
    by_name: dict[str, Campaign] = {}
    for name, spec in CAMPAIGNS.items():
        start, end = spec["years"]
        campaign, created = Campaign.objects.get_or_create(
            name=name,
            issuing_unit=units[spec["issuing"]],
            defaults={
                "short_name": spec["short_name"],
                "kind": spec["kind"],
                "start_year": start,
                "end_year": end,
                "signer_name": spec["signer"][0],
                "signer_position": spec["signer"][1],
                "motto": spec["motto"],
                "objectives": spec["objectives"],
                "status": spec["status"],
                "created_by": by,
                "registration_deadline": D(start, 3, 31),
                "launched_on": D(start, 1, 15) if spec["status"] != CampaignStatus.DRAFT else None,
                "closed_on": D(end, 12, 31) if spec["status"] == CampaignStatus.CLOSED else None,
            },
        )
        by_name[name] = campaign
        if not created:
            continue
        campaign.participating_units.set([units[spec["issuing"]]])
        for number, (pname, pstart, pend, kind, due) in enumerate(spec["phases"], 1):
            Phase.objects.create(
                campaign=campaign,
                number=number,
                name=pname,
                start_date=pstart,
                end_date=pend,
                review_kind=kind,
                review_due_date=due,
            )
        for number, (title, targets) in enumerate(spec["areas"], 1):
            area = ContentArea.objects.create(campaign=campaign, number=number, title=title)
            for tnum, (text, goal, uom) in enumerate(targets, 1):
                Target.objects.create(
                    content_area=area, number=tnum, text=text, goal=goal, unit_of_measure=uom
                )
        for title, due, unit_code, done in spec["milestones"]:
            Milestone.objects.create(
                campaign=campaign,
                title=title,
                due_date=due,
                responsible_unit=units[unit_code],
                done_date=done,
            )
    for name, spec in CAMPAIGNS.items():
        for linked in spec.get("linked", []):
            by_name[name].linked_campaigns.add(by_name[linked])


def administrators_group() -> Group:
    """A body's administrators: users, roles, units, people, campaigns and blocs, in the
    admin site, of the units they hold ADMINISTRATOR for (campaigns/admin_scope.py scopes
    every page to them); nothing is deleted. Groups and permissions are not theirs to
    change: only a superuser touches those, and the superuser and staff flags."""
    group, _ = Group.objects.get_or_create(name="Quản trị hệ thống")
    perms = Permission.objects.filter(
        Q(content_type__app_label__in=["campaigns", "pledges"])
        | Q(content_type__app_label="auth", content_type__model="user")
    ).exclude(codename__startswith="delete_")
    group.permissions.set(perms)
    return group


def _users(units: dict[str, Unit]) -> list[tuple[str, str]]:
    User = get_user_model()
    logins = []
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"first_name": "Quản trị hệ thống", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    administrators = administrators_group()
    logins.append(("admin", "Quản trị hệ thống (superuser, trang /admin/)"))
    for username, full_name, role, unit_code in USERS:
        # Vietnamese names read family name first: keep the whole name in first_name so
        # get_full_name() shows it in the right order.
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name, "last_name": ""}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.ADMINISTRATOR
            user.save()
            if role == Role.ADMINISTRATOR:
                user.groups.add(administrators)
        if role == Role.ADMINISTRATOR and user.is_superuser:
            # A body's administrator is never a superuser: the admin site scopes them.
            user.is_superuser = False
            user.save(update_fields=["is_superuser"])
        if role and unit_code:
            RoleAssignment.objects.get_or_create(user=user, role=role, unit=units[unit_code])
            description = f"{Role(role).label} — {units[unit_code].name}"
            if role == Role.ADMINISTRATOR:
                description += " (trang /admin/, chỉ trong đơn vị này; không phải superuser)"
            logins.append((username, description))
        else:
            logins.append((username, "Thư ký Khối thi đua các bộ, ngành nội chính Trung ương"))
    return logins


@transaction.atomic
def load(stdout: TextIO) -> list[tuple[str, str]]:
    units = _units()
    people = _people(units)
    User = get_user_model()
    logins = _users(units)
    _campaigns(units, User.objects.get(username="canbo.tdkt"))
    stdout.write(f"Đơn vị: {len(units)}; cá nhân mới: {people}; phong trào: {len(CAMPAIGNS)}\n")
    return logins
