"""Demo commendation data for the State Audit Office (KTNN) of campaigns/demo.py.

- Ten years of award history (2015–2023 imported from "before the system", 2024
  granted here) for the people of KTNN-KV1, its Phòng Kiểm toán số 1 and the
  Trường, chosen so that the consecutive-year rules can be seen at work:
  KTNN-KV1-001 holds Chiến sĩ thi đua cơ sở 2021, 2022, 2023 (and 2024), so a
  Chiến sĩ thi đua bộ nomination passes; KTNN-KV1-002 holds it in 2022 and 2024
  only, so the same nomination fails ("chỉ có 2022, 2024"). Thematic and ad-hoc
  awards, a revoked one and a science topic show what does not count.
- The 2024 year: task ratings, initiatives, discipline, registrations, a round
  of nominations through the council (votes, one rejected) to a decision, and
  nominations still under review (one passing, one returned, one draft).
- Exemplars (điển hình tiên tiến) linked to the KTNN campaigns.

Built through the other parts' services where they exist, so each step leaves
its events and history. Loading twice creates nothing new: each part is skipped
when its rows exist. The catalogue comes from migration 0002 (by code); without
it the parts that need it are skipped with a message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from campaigns.demo import DEMO_PASSWORD, KTNN_CAMPAIGN, KTNN_CULTURE
from campaigns.models import Campaign, Person, Role, RoleAssignment, Unit

from .models import (
    AwardRecord,
    AwardType,
    DisciplineForm,
    DisciplineRecord,
    Exemplar,
    Initiative,
    InitiativeKind,
    Rating,
    Registration,
    RegistrationStatus,
    Scope,
    TaskRating,
    Track,
)
from .records_services import issuing_body_for

D = datetime.date
BODY = "KTNN"
YEAR = 2024
FIRST_YEAR = 2015
UNITS = ("KTNN", "KTNN-KV1", "KTNN-KV1-P1", "KTNN-TRUONG")
PEOPLE_UNITS = ("KTNN-KV1", "KTNN-KV1-P1", "KTNN-TRUONG")
CODES = (
    "LDTT",
    "CSTDCS",
    "CSTD_BO",
    "TTLDTT",
    "TTLDXS",
    "BK_BO",
    "BK_TTG",
    "GIAY_KHEN",
)
HR_USER, KV1_FOCAL, TRUONG_FOCAL, COUNCIL_USER = (
    "canbo.tdkt",
    "daumoi.kv1",
    "daumoi.truong",
    "hoidong",
)
# More council members: a vote needs a council, and the share counts all of them.
COUNCIL_MEMBERS = [
    ("hoidong.2", "Phan Văn Quang"),
    ("hoidong.3", "Lý Thị Thanh Xuân"),
]

# --- Award history before 2024 (imported) ---------------------------------------------------

# staff code -> {code: years}; every person of the three units also holds LĐTT each year
# from FIRST_YEAR unless listed in NO_LDTT.
PERSON_HISTORY: dict[str, dict[str, Iterable[int]]] = {
    "KTNN-KV1-001": {"CSTDCS": (2021, 2022, 2023), "GIAY_KHEN": (2019,)},
    "KTNN-KV1-002": {"CSTDCS": (2022,), "GIAY_KHEN": (2020,)},
    "KTNN-KV1-003": {"CSTDCS": (2019, 2020, 2021), "CSTD_BO": (2021,), "BK_TTG": (2023,)},
    "KTNN-KV1-004": {"GIAY_KHEN": (2019,)},
    "KTNN-KV1-P1-001": {"CSTDCS": (2023,)},
    "KTNN-TRUONG-001": {"CSTDCS": (2018, 2019, 2023)},
}
# Not merit: shown in the history, ignored by the consecutive-year rules.
OTHER_TRACKS: list[tuple[str, str, int, str, str]] = [
    ("KTNN-KV1-003", "BK_BO", 2022, Track.THEMATIC, KTNN_CULTURE),
    ("KTNN-TRUONG-001", "GIAY_KHEN", 2022, Track.ADHOC, ""),
]
REVOKED = {
    ("KTNN-KV1-004", "GIAY_KHEN", 2019): (
        D(2020, 3, 20),
        "18/QĐ-KTNN-TCCB",
        "Thành tích khai trong hồ sơ không đúng thực tế (Chương VII Luật Thi đua, khen thưởng).",
    )
}
NO_LDTT = {("KTNN-KV1-005", 2018)}  # a reprimand that year
JOINED = {"KTNN-KV1-006": 2020}  # recruited in 2020
COLLECTIVE_HISTORY: dict[str, dict[str, Iterable[int]]] = {
    "KTNN-KV1": {"TTLDXS": range(2019, 2024), "TTLDTT": range(2015, 2019)},
    "KTNN-KV1-P1": {"TTLDTT": range(2020, 2024)},
    "KTNN-TRUONG": {"TTLDTT": range(2016, 2024)},
}


def _decision_number(year: int, code: str) -> tuple[str, datetime.date]:
    # Grassroots titles by the head of the unit, the rest by the State Auditor General.
    if code in ("LDTT", "TTLDTT", "GIAY_KHEN", "CSTDCS"):
        return f"{12 + year % 7}/QĐ-KTNN-TCCB", D(year, 12, 26)
    return f"{120 + year % 9}/QĐ-KTNN", D(year, 12, 30)


def _issued_by(records: list[AwardRecord], hr: Any) -> None:
    """History entered by ``hr``: issued by their body, as the past awards import marks it."""
    bodies: dict[int, Unit] = {}
    for record in records:
        recipient = record.person.unit if record.person is not None else record.unit
        record.issuing_body = issuing_body_for(hr, recipient, bodies)


def _history(
    people: dict[str, Person], units: dict[str, Unit], types: dict[str, AwardType], hr: Any
) -> int:
    if AwardRecord.objects.filter(person=people["KTNN-KV1-001"], is_imported=True).exists():
        return 0
    records: list[AwardRecord] = []

    def add(code: str, year: int, *, person=None, unit=None, track=Track.MERIT, campaign=None):
        number, date = _decision_number(year, code)
        record = AwardRecord(
            award_type=types[code],
            person=person,
            unit=unit,
            year=year,
            track=track,
            campaign=campaign,
            decision_number=number,
            decision_date=date,
            is_imported=True,
        )
        key = (person.staff_code if person else "", code, year)
        if key in REVOKED:
            record.revoked_on, record.revocation_decision, record.revocation_reason = REVOKED[key]
        records.append(record)

    for code, person in people.items():
        start = JOINED.get(code, FIRST_YEAR)
        for year in range(start, YEAR):
            if (code, year) not in NO_LDTT:
                add("LDTT", year, person=person)
        for title, years in PERSON_HISTORY.get(code, {}).items():
            for year in years:
                add(title, year, person=person)
    campaigns = {c.name: c for c in Campaign.objects.filter(name__in=[KTNN_CULTURE])}
    for code, title, year, track, campaign in OTHER_TRACKS:
        add(title, year, person=people[code], track=track, campaign=campaigns.get(campaign))
    for unit_code, titles in COLLECTIVE_HISTORY.items():
        for title, years in titles.items():
            for year in years:
                add(title, year, unit=units[unit_code])
    _issued_by(records, hr)
    bulk_create_with_history(records, AwardRecord, default_user=hr)
    return len(records)


# --- Ratings, discipline, initiatives ---------------------------------------------------------

EXCELLENT = {
    "KTNN-KV1-001": (2021, 2022, 2023, 2024),
    "KTNN-KV1-002": (2022, 2024),
    "KTNN-KV1-003": (2019, 2020, 2021, 2023),
    "KTNN-KV1-P1-001": (2023, 2024),
    "KTNN-TRUONG-001": (2018, 2019, 2023, 2024),
    "KTNN-TRUONG-002": (2024,),
}
DONE = {("KTNN-KV1-005", 2018), ("KTNN-TRUONG-006", 2024)}
UNIT_EXCELLENT = {"KTNN-KV1": range(2019, 2025), "KTNN-TRUONG": (2024,)}

INITIATIVES: list[tuple[str, str, str, int, str, list[str], str, datetime.date]] = [
    (
        InitiativeKind.INITIATIVE,
        "Ứng dụng phân tích dữ liệu lớn trong kiểm toán ngân sách địa phương",
        "KTNN-KV1",
        2023,
        Scope.MINISTRY,
        ["KTNN-KV1-001"],
        "Quyết định 1520/QĐ-KTNN công nhận sáng kiến cấp ngành",
        D(2023, 11, 20),
    ),
    (
        InitiativeKind.INITIATIVE,
        "Mẫu hóa biên bản kiểm toán trên phần mềm dùng chung",
        "KTNN-KV1",
        2024,
        Scope.GRASSROOTS,
        ["KTNN-KV1-002"],
        "Quyết định 35/QĐ-KV1 của Hội đồng sáng kiến cơ sở",
        D(2024, 10, 15),
    ),
    (
        InitiativeKind.SCIENCE_TOPIC,
        "Đề tài: Kiểm toán môi trường đối với dự án đầu tư công",
        "KTNN-KV1",
        2021,
        Scope.MINISTRY,
        ["KTNN-KV1-003"],
        "Quyết định 980/QĐ-KTNN nghiệm thu đề tài cấp cơ sở KTNN",
        D(2021, 9, 28),
    ),
    (
        InitiativeKind.INITIATIVE,
        "Số hóa hồ sơ kiểm toán tại Phòng Kiểm toán số 1",
        "KTNN-KV1-P1",
        2024,
        Scope.GRASSROOTS,
        ["KTNN-KV1-P1-001", "KTNN-KV1-P1-002"],
        "Quyết định 36/QĐ-KV1 của Hội đồng sáng kiến cơ sở",
        D(2024, 10, 15),
    ),
    (
        InitiativeKind.INITIATIVE,
        "Đổi mới phương pháp bồi dưỡng nghiệp vụ kiểm toán trực tuyến",
        "KTNN-TRUONG",
        2024,
        Scope.GRASSROOTS,
        ["KTNN-TRUONG-001"],
        "Quyết định 20/QĐ-TRƯỜNG của Hội đồng sáng kiến cơ sở",
        D(2024, 9, 30),
    ),
]
DISCIPLINE = [
    ("KTNN-KV1-005", DisciplineForm.REPRIMAND, D(2018, 4, 2), D(2019, 4, 1), "08/QĐ-KTNN-KV1"),
    ("KTNN-TRUONG-006", DisciplineForm.REPRIMAND, D(2024, 5, 10), D(2025, 5, 9), "21/QĐ-TRƯỜNG"),
]


def _ratings(people: dict[str, Person], units: dict[str, Unit], hr: Any) -> int:
    from .records_services import ratings_save

    if TaskRating.objects.filter(unit=units["KTNN-KV1"], year=FIRST_YEAR).exists():
        return 0
    created = 0
    for unit_code in PEOPLE_UNITS:
        unit = units[unit_code]
        members = [p for code, p in people.items() if p.unit_id == unit.pk]
        for year in range(FIRST_YEAR, YEAR + 1):
            ratings = {}
            for person in members:
                if year < JOINED.get(person.staff_code, FIRST_YEAR):
                    continue
                if year in EXCELLENT.get(person.staff_code, ()):
                    ratings[person] = Rating.EXCELLENT
                elif (person.staff_code, year) in DONE:
                    ratings[person] = Rating.DONE
                else:
                    ratings[person] = Rating.GOOD
            unit_rating = (
                Rating.EXCELLENT if year in UNIT_EXCELLENT.get(unit_code, ()) else Rating.GOOD
            )
            change = ratings_save(
                unit=unit, year=year, by=hr, unit_rating=unit_rating, person_ratings=ratings
            )
            created += change.created
    return created


def _initiatives_and_discipline(people: dict[str, Person], units: dict[str, Unit], hr: Any) -> int:
    from .records_services import initiative_save

    created = 0
    for kind, title, unit_code, year, scope, authors, recognition, on in INITIATIVES:
        if Initiative.objects.filter(title=title, unit=units[unit_code], year=year).exists():
            continue
        initiative_save(
            by=hr,
            initiative=Initiative(
                kind=kind,
                title=title,
                unit=units[unit_code],
                year=year,
                scope=scope,
                recognition=recognition,
                recognised_on=on,
            ),
            authors=[people[code] for code in authors],
            scope_unit=units[BODY],
        )
        created += 1
    for code, form, start, end, decision in DISCIPLINE:
        _record, made = DisciplineRecord.objects.get_or_create(
            person=people[code],
            form=form,
            start_date=start,
            defaults={"end_date": end, "decision": decision},
        )
        created += made
    return created


# --- Registrations 2024 ---------------------------------------------------------------------

# unit -> (focal point, collective title, people's titles beyond LĐTT, final status)
REGISTRATIONS: dict[str, tuple[str, str, dict[str, list[str]], str]] = {
    "KTNN-KV1": (
        KV1_FOCAL,
        "TTLDXS",
        {"KTNN-KV1-001": ["CSTDCS"], "KTNN-KV1-002": ["CSTDCS"], "KTNN-KV1-003": ["CSTDCS"]},
        RegistrationStatus.APPROVED,
    ),
    "KTNN-KV1-P1": (
        KV1_FOCAL,
        "TTLDTT",
        {"KTNN-KV1-P1-001": ["CSTDCS"]},
        RegistrationStatus.APPROVED,
    ),
    "KTNN-TRUONG": (
        TRUONG_FOCAL,
        "TTLDTT",
        {"KTNN-TRUONG-001": ["CSTDCS"], "KTNN-TRUONG-002": ["CSTDCS"]},
        RegistrationStatus.APPROVED,
    ),
}


def _registrations(
    people: dict[str, Person], units: dict[str, Unit], types: dict[str, AwardType], users: dict
) -> int:
    from . import registration_services as services

    created = 0
    for unit_code, (focal, collective, extra, status) in REGISTRATIONS.items():
        unit = units[unit_code]
        if Registration.objects.filter(unit=unit, year=YEAR, campaign__isnull=True).exists():
            continue
        by = users[focal]
        registration = services.registration_create(
            by=by, unit=unit, year=YEAR, collective_title=types[collective]
        )
        entries = [
            (person, types["LDTT"]) for person in people.values() if person.unit_id == unit.pk
        ]
        entries += [
            (people[code], types[title]) for code, titles in extra.items() for title in titles
        ]
        services.registration_update(
            registration=registration,
            by=by,
            collective_title=types[collective],
            entries=entries,
            expected_version=registration.version,
        )
        services.registration_submit(registration=registration, by=by)
        if status == RegistrationStatus.APPROVED:
            services.registration_approve(registration=registration, by=users[HR_USER])
        created += 1
    return created


# --- Exemplars ----------------------------------------------------------------------------------

EXEMPLARS: list[tuple[str, str, int, str, list[str]]] = [
    (
        "KTNN-KV1-001",
        "Tiên phong đưa phân tích dữ liệu lớn vào kiểm toán ngân sách địa phương",
        2024,
        "Từ một ý tưởng trong đợt kiểm toán năm 2022, đồng chí đã cùng tổ kiểm toán xây dựng "
        "bộ công cụ đối chiếu dữ liệu thu, chi ngân sách của các địa phương.\n\n"
        "Sáng kiến được công nhận cấp ngành năm 2023 và được nhân rộng ra các Kiểm toán nhà "
        "nước khu vực, rút ngắn một phần ba thời gian lập kế hoạch kiểm toán.\n\n"
        "Đồng chí đạt danh hiệu Chiến sĩ thi đua cơ sở bốn năm liền (2021–2024).",
        [KTNN_CAMPAIGN],
    ),
    (
        "KTNN-TRUONG",
        "Trường Đào tạo và Bồi dưỡng nghiệp vụ kiểm toán: mỗi cán bộ là một giảng viên",
        2023,
        "Nhà trường tổ chức cho cán bộ, giảng viên chia sẻ kinh nghiệm nghiệp vụ theo chuyên "
        "đề hằng tháng, xây dựng kho bài giảng trực tuyến dùng chung cho toàn ngành.\n\n"
        "Cách làm góp phần xây dựng Kiểm toán nhà nước thành tổ chức học tập.",
        [KTNN_CAMPAIGN, KTNN_CULTURE],
    ),
]


def _exemplars(people: dict[str, Person], units: dict[str, Unit], hr: Any) -> int:
    created = 0
    campaigns = {c.name: c for c in Campaign.objects.filter(name__in=[KTNN_CAMPAIGN, KTNN_CULTURE])}
    for subject, headline, year, story, linked in EXEMPLARS:
        if Exemplar.objects.filter(headline=headline, year=year).exists():
            continue
        exemplar = Exemplar(
            person=people.get(subject),
            unit=None if subject in people else units[subject],
            headline=headline,
            story=story,
            year=year,
            created_by=hr,
        )
        exemplar._history_user = hr
        exemplar.save()
        exemplar.campaigns.set([campaigns[name] for name in linked if name in campaigns])
        created += 1
    return created


# --- The 2024 round: nominations, council, decision ---------------------------------------

ROUND_NAME = "Xét khen thưởng công trạng năm 2024"
LDTT_DECISION = ("40/QĐ-KTNN-TCCB", D(2024, 12, 20))
# (proposer, proposing unit, award, person staff code or collective unit code, summary)
COUNCIL_NOMINATIONS: list[tuple[str, str, str, str, str]] = [
    (
        KV1_FOCAL,
        "KTNN-KV1",
        "CSTDCS",
        "KTNN-KV1-001",
        "Hoàn thành xuất sắc nhiệm vụ; chủ trì sáng kiến ứng dụng dữ liệu lớn được công nhận cấp ngành.",
    ),
    (
        KV1_FOCAL,
        "KTNN-KV1",
        "CSTDCS",
        "KTNN-KV1-002",
        "Hoàn thành xuất sắc nhiệm vụ; sáng kiến mẫu hóa biên bản kiểm toán được công nhận cấp cơ sở.",
    ),
    (
        KV1_FOCAL,
        "KTNN-KV1-P1",
        "CSTDCS",
        "KTNN-KV1-P1-001",
        "Hoàn thành xuất sắc nhiệm vụ; đồng tác giả sáng kiến số hóa hồ sơ kiểm toán.",
    ),
    (
        KV1_FOCAL,
        "KTNN-KV1",
        "TTLDXS",
        "KTNN-KV1",
        "Đơn vị hoàn thành xuất sắc kế hoạch kiểm toán năm 2024; 100% cán bộ hoàn thành nhiệm vụ.",
    ),
    (
        KV1_FOCAL,
        "KTNN-KV1-P1",
        "TTLDTT",
        "KTNN-KV1-P1",
        "Phòng hoàn thành tốt nhiệm vụ; trên 50% cán bộ đạt Lao động tiên tiến.",
    ),
    (
        TRUONG_FOCAL,
        "KTNN-TRUONG",
        "CSTDCS",
        "KTNN-TRUONG-001",
        "Hoàn thành xuất sắc nhiệm vụ; sáng kiến bồi dưỡng trực tuyến được công nhận cấp cơ sở.",
    ),
    (
        TRUONG_FOCAL,
        "KTNN-TRUONG",
        "CSTDCS",
        "KTNN-TRUONG-002",
        "Hoàn thành xuất sắc nhiệm vụ giảng dạy năm 2024.",
    ),
]
# Who of the council agrees with what: everyone, except on the second Trường nominee.
DISAGREE = {("KTNN-TRUONG-002", "hoidong.2"), ("KTNN-TRUONG-002", "hoidong.3")}
DECISION = ("125/QĐ-KTNN", D(2024, 12, 27), "Ngô Văn Tuấn", "Tổng Kiểm toán nhà nước")
# Nominations after the decision: one passing the consecutive-year rule and waiting for the
# next council, one failing it and returned, one draft.
LATER_NOMINATIONS: list[tuple[str, str, str, str, str]] = [
    (
        KV1_FOCAL,
        "KTNN-KV1",
        "CSTD_BO",
        "KTNN-KV1-001",
        "Ba năm liên tục đạt Chiến sĩ thi đua cơ sở (2022–2024); sáng kiến cấp ngành năm 2023.",
    ),
    (
        KV1_FOCAL,
        "KTNN-KV1",
        "CSTD_BO",
        "KTNN-KV1-002",
        "Đạt Chiến sĩ thi đua cơ sở năm 2022 và 2024.",
    ),
    (
        KV1_FOCAL,
        "KTNN-KV1",
        "BK_BO",
        "KTNN-KV1-003",
        "Có thành tích xuất sắc trong đợt kiểm toán chuyên đề năm 2024.",
    ),
]
RETURN_REASON = (
    "Chưa đủ 3 năm liên tục đạt Chiến sĩ thi đua cơ sở (chỉ có 2022, 2024); đề nghị đơn vị "
    "xem xét lại."
)


def _dossier_files() -> list[tuple[str, str, bytes]]:
    """One small PDF per required dossier kind, rendered once and shared by the nominations."""
    from campaigns.documents import render_pdf

    from .models import DossierKind
    from .nomination_services import REQUIRED_DOSSIER_KINDS

    labels = dict(DossierKind.choices)
    files = []
    for kind in REQUIRED_DOSSIER_KINDS:
        title = str(labels[kind])
        pdf = render_pdf(
            "awards/demo_dossier_pdf.html",
            {
                "issuer": "Kiểm toán nhà nước",
                "title": title,
                "subject": "Đề nghị khen thưởng năm 2024",
                "place_date": "Hà Nội, ngày 25 tháng 11 năm 2024",
            },
        )
        files.append((kind, f"{kind}.pdf", pdf))
    return files


def _nominate(
    spec: tuple[str, str, str, str, str],
    *,
    award_round: Any,
    people: dict[str, Person],
    units: dict[str, Unit],
    types: dict[str, AwardType],
    users: dict[str, Any],
    files: list[tuple[str, str, bytes]],
    submit: bool = True,
) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from . import nomination_services as services

    proposer, unit_code, code, nominee, summary = spec
    by = users[proposer]
    nomination = services.nomination_create(
        by=by,
        award_round=award_round,
        proposing_unit=units[unit_code],
        award_type=types[code],
        person=people.get(nominee),
        unit=None if nominee in people else units[nominee],
        achievement_summary=summary,
    )
    for kind, name, content in files:
        services.dossier_file_add(
            nomination=nomination,
            kind=kind,
            upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
            by=by,
        )
    if submit:
        services.nomination_submit(nomination=nomination, by=by)
    return nomination


def _ldtt_2024(people: dict[str, Person], types: dict[str, AwardType], hr: Any) -> int:
    """LĐTT 2024 of everyone rated good or better and not disciplined, by the head's decision."""
    number, date = LDTT_DECISION
    ratings = dict(
        TaskRating.objects.filter(person__in=people.values(), year=YEAR).values_list(
            "person_id", "rating"
        )
    )
    disciplined = {code for code, _form, start, _end, _d in DISCIPLINE if start.year == YEAR}
    records = [
        AwardRecord(
            award_type=types["LDTT"],
            person=person,
            year=YEAR,
            decision_number=number,
            decision_date=date,
        )
        for code, person in people.items()
        if ratings.get(person.pk) in (Rating.EXCELLENT, Rating.GOOD) and code not in disciplined
    ]
    _issued_by(records, hr)
    bulk_create_with_history(records, AwardRecord, default_user=hr)
    return len(records)


def _round_2024(
    people: dict[str, Person], units: dict[str, Unit], types: dict[str, AwardType], users: dict
) -> dict[str, int]:
    from . import council_services, decision_services, nomination_services
    from .models import AwardRound, Choice, Nomination, NominationStatus

    hr = users[HR_USER]
    body = units[BODY]
    if AwardRound.objects.filter(body=body, year=YEAR, name=ROUND_NAME).exists():
        return {}
    counts = {"ldtt": _ldtt_2024(people, types, hr)}
    award_round = nomination_services.round_create(by=hr, body=body, name=ROUND_NAME, year=YEAR)
    files = _dossier_files()
    context = {
        "award_round": award_round,
        "people": people,
        "units": units,
        "types": types,
        "users": users,
        "files": files,
    }
    nominations = [_nominate(spec, **context) for spec in COUNCIL_NOMINATIONS]
    for nomination in nominations:
        nomination_services.nomination_accept(
            nomination=nomination, by=hr, note="Hồ sơ đầy đủ, đủ điều kiện trình Hội đồng."
        )
    members = [users[COUNCIL_USER], *(users[name] for name, _full in COUNCIL_MEMBERS)]
    session = council_services.session_create(
        body=body,
        by=hr,
        title="Phiên họp Hội đồng Thi đua – Khen thưởng xét khen thưởng năm 2024",
        held_on=D(2024, 12, 18),
        members=members,
        chair="Ngô Văn Tuấn, Tổng Kiểm toán nhà nước",
        round=award_round,
    )
    items = council_services.agenda_add(session=session, by=hr, nominations=nominations)
    for item, spec in zip(items, COUNCIL_NOMINATIONS, strict=True):
        for member in members:
            choice = Choice.DISAGREE if (spec[3], member.username) in DISAGREE else Choice.AGREE
            council_services.vote_cast(item=item, voter=member, choice=choice)
    council_services.session_close(session=session, by=hr)
    approved = Nomination.objects.filter(
        pk__in=[n.pk for n in nominations], status=NominationStatus.APPROVED
    ).order_by("pk")
    number, signed_on, signer, position = DECISION
    decision = decision_services.decision_create(
        body=body,
        by=hr,
        number=number,
        signed_on=signed_on,
        signer_name=signer,
        signer_position=position,
        nominations=approved,
        round=award_round,
    )
    counts["awards"] = len(decision_services.decision_issue(decision=decision, by=hr))
    later = [_nominate(spec, **context, submit=spec[2] != "BK_BO") for spec in LATER_NOMINATIONS]
    nomination_services.nomination_return(nomination=later[1], by=hr, reason=RETURN_REASON)
    counts["nominations"] = len(nominations) + len(later)
    return counts


# --- Users --------------------------------------------------------------------------------------


def _council_members(body: Unit) -> list[tuple[str, str]]:
    User = get_user_model()
    logins = []
    for username, full_name in COUNCIL_MEMBERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name, "last_name": ""}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=Role.COUNCIL_MEMBER, unit=body)
        logins.append((username, f"{Role.COUNCIL_MEMBER.label} — {body.name}"))
    return logins


# --- Load ---------------------------------------------------------------------------------------


@transaction.atomic
def load(stdout: TextIO) -> list[tuple[str, str]]:
    units = {u.code: u for u in Unit.objects.filter(code__in=UNITS)}
    if set(UNITS) - set(units):
        stdout.write("Khen thưởng: chưa có đơn vị minh họa của KTNN; bỏ qua.\n")
        return []
    types = {t.code: t for t in AwardType.objects.filter(code__in=CODES)}
    missing = sorted(set(CODES) - set(types))
    logins = _council_members(units[BODY])
    if missing:
        stdout.write(
            "Khen thưởng: danh mục chưa có "
            + ", ".join(missing)
            + " (migration 0002_seed_catalogue); bỏ qua dữ liệu khen thưởng minh họa.\n"
        )
        return logins
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[HR_USER, KV1_FOCAL, TRUONG_FOCAL, COUNCIL_USER]
            + [name for name, _full in COUNCIL_MEMBERS]
        )
    }
    hr = users[HR_USER]
    people = {
        p.staff_code: p
        for p in Person.objects.filter(unit__code__in=PEOPLE_UNITS).select_related("unit")
        if p.staff_code
    }
    counts = {
        "history": _history(people, units, types, hr),
        "ratings": _ratings(people, units, hr),
        "records": _initiatives_and_discipline(people, units, hr),
        "registrations": _registrations(people, units, types, users),
        "exemplars": _exemplars(people, units, hr),
    }
    stdout.write(
        "Khen thưởng: {history} khen thưởng từ trước, {ratings} xếp loại, {records} sáng kiến và "
        "kỷ luật, {registrations} đăng ký, {exemplars} điển hình mới\n".format(**counts)
    )
    done = _round_2024(people, units, types, users)
    if done:
        stdout.write(
            "Đợt khen thưởng 2024: {nominations} đề nghị, phiên họp Hội đồng, quyết định "
            "{number} với {awards} khen thưởng; {ldtt} Lao động tiên tiến\n".format(
                number=DECISION[0], **done
            )
        )
    return logins
