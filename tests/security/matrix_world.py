"""One object of every kind for body X (bloc A) and for body Y (bloc B), and the personas.

The authorization matrix (tests/security/test_authorization_matrix.py) resolves every
object route with X's ids, and again with Y's ids for X's personas (and X's ids for
Y's personas). Every object a page could show carries its side's marker
(``MARKER["x"]`` or ``MARKER["y"]``) in its name or text, so a refused response can be
searched for a leak of the other side's data.

The org mirrors tests/conftest.py: body X with departments X1 (division X1A below)
and X2; body Y unrelated; bloc A has X as its member and its 2024 leader, bloc B has
Y. Personas: hr (HR staff of X), focal_x1 (focal point of X1), focal_y, leader (of
X), council (council member of X, on X's council session), secretary (secretariat
of bloc A), secretary_b (of bloc B), hr_y (HR staff of Y, the other side only) and
admin_user (superuser). hr_x1 (HR staff of department X1, inside body X) is tried
only on the rows that name it (``EXTRA_PERSONAS``).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from awards.models import (
    AgendaItem,
    AwardDecision,
    AwardRecord,
    AwardRound,
    AwardType,
    CouncilSession,
    DisciplineRecord,
    DossierFile,
    DossierKind,
    Exemplar,
    Initiative,
    Nomination,
    NominationStatus,
    Registration,
    RegistrationEntry,
    RegistrationStatus,
    Scope,
    TaskRating,
    Track,
)
from campaigns.models import (
    Campaign,
    CampaignStatus,
    ContentArea,
    Milestone,
    Person,
    Phase,
    ProgressEntry,
    Role,
    RoleAssignment,
    Target,
    Unit,
    UnitKind,
)
from pledges.models import (
    Bloc,
    BlocLevel,
    BlocMembership,
    BlocSecretariat,
    BlocYear,
    Commitment,
    Criterion,
    CriterionGroup,
    DocumentKind,
    Pledge,
    PledgeAmendment,
    PledgeDocument,
    PledgeStatus,
    ScoreEvidence,
    ScoringStage,
    ScoringTable,
    SelfScore,
)
from reports.models import ReportDraft, ReportKind, ReportStatus, ReportVersion
from tests.documents import tiny_pdf

# Distinctive text of each side: ASCII capitals no template, stylesheet or script
# of the project contains, so finding one in a body means that side's data leaked.
MARKER = {"x": "QZXALPHA", "y": "QZYBRAVO"}
YEAR = 2025
BLOC_YEAR = 2024
# A title of the seeded catalogue (awards/migrations/0002_seed_catalogue.py).
CATALOGUE_CODE = "LDTT"

PERSONAS = (
    "anonymous",
    "hr",
    "focal_x1",
    "focal_y",
    "secretary",
    "secretary_b",
    "leader",
    "council",
    "admin_user",
)
# Tried only on the rows that name them (matrix.Expect.also), with X's ids: a
# department's HR staff, who see the department's data but not all of the body's
# authority, and the HR staff of another body.
EXTRA_PERSONAS = ("hr_x1", "hr_y")
# Who tries X's ids from the other side, and Y's ids from X's side.
OTHER_SIDE = {
    "x": ("focal_y", "secretary_b", "hr_y"),
    "y": ("hr", "focal_x1", "secretary", "leader", "council"),
}


@dataclass
class Side:
    """Every object of one side; route kwargs name these attributes."""

    tag: str
    marker: str
    body: Unit
    dept: Unit
    person: Person
    award_type: AwardType
    bloc: Bloc
    campaign: Campaign
    phase: Phase
    area: ContentArea
    bloc_year: BlocYear
    pledge: Pledge
    amendment_number: int
    document: PledgeDocument
    scoring: BlocYear
    group: CriterionGroup
    evidence: ScoreEvidence
    award_round: AwardRound
    nomination: Nomination
    dossier: DossierFile
    session: CouncilSession
    item: AgendaItem
    decision: AwardDecision
    award_record: AwardRecord
    exemplar: Exemplar
    registration: Registration
    initiative: Initiative
    draft: ReportDraft
    version: ReportVersion
    year: int = YEAR
    action: str = "close"
    records_kind: str = "ratings"
    catalogue_code: str = CATALOGUE_CODE
    # A search both sides' people match (the page echoes the query, so not the marker).
    people_query: str = "Nguyễn Văn"
    extra: dict = field(default_factory=dict)


@dataclass
class World:
    x: Side
    y: Side
    users: dict[str, User]
    media_root: object = None
    session_keys: dict[str, str] = field(default_factory=dict)  # persona → session cookie

    def side(self, tag: str) -> Side:
        return self.x if tag == "x" else self.y


def _user(username: str, role: str | None = None, unit: Unit | None = None) -> User:
    user = User.objects.create_user(username, password="mat-khau-thu-nghiem", first_name=username)
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


def _unit(code: str, name: str, kind: str, parent: Unit | None = None) -> Unit:
    return Unit.objects.create(code=code, name=name, kind=kind, parent=parent)


def _file(model, data: bytes, name: str, **fields):
    """A stored upload: the checksum names the file, as the upload services do."""
    obj = model(
        original_name=name,
        content_type="application/pdf",
        extension=".pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **fields,
    )
    obj.file.save(name, ContentFile(data), save=False)
    obj.save()
    return obj


def build_side(
    tag: str, body: Unit, dept: Unit, bloc: Bloc, *, hr: User, focal: User, council: User | None
) -> Side:
    mark = MARKER[tag]
    pdf = tiny_pdf()
    person = Person.objects.create(
        unit=dept, full_name=f"Nguyễn Văn {mark}", position="Chuyên viên"
    )
    collective_title = AwardType.objects.get(code="TTLDTT")
    title = AwardType.objects.get(code=CATALOGUE_CODE)

    campaign = Campaign.objects.create(
        name=f"Phong trào thi đua {mark}",
        issuing_unit=body,
        start_year=2023,
        end_year=2030,
        status=CampaignStatus.LAUNCHED,
        launched_on=datetime.date(2023, 1, 10),
        objectives=f"Mục tiêu {mark}",
    )
    campaign.participating_units.set([body])
    phase = Phase.objects.create(
        campaign=campaign,
        number=1,
        name=f"Giai đoạn 1 {mark}",
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    area = ContentArea.objects.create(campaign=campaign, number=1, title=f"Nội dung {mark}")
    target = Target.objects.create(content_area=area, text=f"Chỉ tiêu {mark}", goal=100)
    Milestone.objects.create(
        campaign=campaign, title=f"Mốc {mark}", due_date=datetime.date(2024, 3, 31)
    )
    entry = ProgressEntry.objects.create(
        phase=phase, content_area=area, unit=dept, summary=f"Kết quả {mark}", reported_by=focal
    )
    entry.figures.create(target=target, value=Decimal(50))

    # Bloc: this side's body leads the 2024 year; a pledge, open, with an amendment.
    bloc_year = BlocYear.objects.create(bloc=bloc, year=BLOC_YEAR, leader=body)
    pledge = Pledge.objects.create(
        bloc_year=bloc_year,
        title=f"Giao ước thi đua {mark}",
        ceremony_date=datetime.date(BLOC_YEAR, 3, 15),
        place="Hà Nội",
        status=PledgeStatus.OPEN,
        amendment_count=1,
    )
    Commitment.objects.create(pledge=pledge, number=1, text=f"Cam kết {mark}")
    PledgeAmendment.objects.create(
        pledge=pledge,
        number=1,
        reason=f"Sửa đổi {mark}",
        snapshot={
            "title": pledge.title,
            "ceremony_date": "2024-03-15",
            "place": "Hà Nội",
            "commitments": [{"number": 1, "text": f"Cam kết cũ {mark}"}],
            "signatures": [],
        },
    )
    document = _file(
        PledgeDocument, pdf, f"van-ban-{tag}.pdf", pledge=pledge, kind=DocumentKind.ATTACHMENT
    )

    # Scoring: a 2023 year of the bloc, at the self-scoring stage, with evidence.
    scoring = BlocYear.objects.create(bloc=bloc, year=2023, leader=body)
    table = ScoringTable.objects.create(bloc_year=scoring, stage=ScoringStage.SELF)
    group = CriterionGroup.objects.create(table=table, number=1, title=f"Nhóm tiêu chí {mark}")
    criterion = Criterion.objects.create(
        group=group, number=1, text=f"Tiêu chí {mark}", max_points=Decimal(10)
    )
    self_score = SelfScore.objects.create(
        criterion=criterion, member=body, points=Decimal(8), note=f"Giải trình {mark}"
    )
    evidence = _file(ScoreEvidence, pdf, f"minh-chung-{tag}.pdf", self_score=self_score)

    # Awards: an open round; a draft nomination of the department with its dossier;
    # an accepted one on the open council session; a draft decision; past records.
    award_round = AwardRound.objects.create(
        body=body,
        name=f"Đợt khen thưởng {mark}",
        year=YEAR,
        nomination_deadline=timezone.localdate() + datetime.timedelta(days=30),
        is_open=True,
    )
    nomination = Nomination.objects.create(
        round=award_round,
        proposing_unit=dept,
        award_type=title,
        person=person,
        year=YEAR,
        track=Track.MERIT,
        achievement_summary=f"Thành tích {mark}",
        status=NominationStatus.DRAFT,
        created_by=focal,
    )
    dossier = _file(
        DossierFile,
        pdf,
        f"to-trinh-{tag}.pdf",
        nomination=nomination,
        kind=DossierKind.SUBMISSION_LETTER,
    )
    on_agenda = Nomination.objects.create(
        round=award_round,
        proposing_unit=dept,
        award_type=title,
        person=Person.objects.create(unit=dept, full_name=f"Trần Thị {mark}"),
        year=YEAR,
        achievement_summary=f"Thành tích được xét {mark}",
        status=NominationStatus.ACCEPTED,
    )
    session = CouncilSession.objects.create(
        body=body,
        round=award_round,
        title=f"Phiên họp Hội đồng {mark}",
        held_on=datetime.date(YEAR, 12, 15),
        chair=f"Chủ tịch {mark}",
    )
    if council is not None:
        session.members.set([council])
    item = AgendaItem.objects.create(session=session, nomination=on_agenda)
    decision = AwardDecision.objects.create(
        body=body,
        round=award_round,
        number=f"125/QĐ-{mark}",
        signed_on=datetime.date(YEAR, 12, 20),
        signer_name=f"Người ký {mark}",
        signer_position="Thủ trưởng cơ quan",
    )
    award_record = AwardRecord.objects.create(
        award_type=title,
        person=person,
        year=2024,
        track=Track.MERIT,
        is_imported=True,
        decision_number=f"77/QĐ-{mark}",
        issuing_body=body,
    )
    exemplar = Exemplar.objects.create(
        person=person, headline=f"Điển hình {mark}", story=f"Câu chuyện {mark}", year=2024
    )
    registration = Registration.objects.create(
        unit=dept, year=YEAR, collective_title=collective_title, status=RegistrationStatus.DRAFT
    )
    RegistrationEntry.objects.create(registration=registration, person=person, award_type=title)
    TaskRating.objects.create(person=person, year=YEAR, rating="excellent")
    DisciplineRecord.objects.create(
        person=person, form="warning", start_date=datetime.date(YEAR, 3, 1), decision=f"1/{mark}"
    )
    initiative = Initiative.objects.create(
        title=f"Sáng kiến {mark}", unit=dept, year=YEAR, scope=Scope.GRASSROOTS
    )
    initiative.authors.set([person])

    # Reports: a phase review of the campaign with a finished version.
    draft = ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=body,
        title=f"Báo cáo sơ kết {mark}",
        context=f"Bối cảnh {mark}",
        created_by=hr,
    )
    version = ReportVersion.objects.create(
        draft=draft, number=1, requested_by=hr, status=ReportStatus.DONE, progress=100
    )
    version.pdf.save("bao-cao.pdf", ContentFile(pdf), save=False)
    version.docx.save("bao-cao.docx", ContentFile(b"PK\x03\x04 " + mark.encode()), save=False)
    version.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    version.docx_sha256 = hashlib.sha256(mark.encode()).hexdigest()
    version.save()

    return Side(
        tag=tag,
        marker=mark,
        body=body,
        dept=dept,
        person=person,
        award_type=title,
        bloc=bloc,
        campaign=campaign,
        phase=phase,
        area=area,
        bloc_year=bloc_year,
        pledge=pledge,
        amendment_number=1,
        document=document,
        scoring=scoring,
        group=group,
        evidence=evidence,
        award_round=award_round,
        nomination=nomination,
        dossier=dossier,
        session=session,
        item=item,
        decision=decision,
        award_record=award_record,
        exemplar=exemplar,
        registration=registration,
        initiative=initiative,
        draft=draft,
        version=version,
    )


def build_world() -> World:
    x = _unit("X", "Cơ quan X", UnitKind.BODY)
    x1 = _unit("X1", "Vụ X1", UnitKind.DEPARTMENT, x)
    _unit("X1A", "Phòng X1A", UnitKind.DIVISION, x1)
    _unit("X2", "Vụ X2", UnitKind.DEPARTMENT, x)
    y = _unit("Y", "Cơ quan Y", UnitKind.BODY)
    y1 = _unit("Y1", "Vụ Y1", UnitKind.DEPARTMENT, y)
    bloc_a = Bloc.objects.create(name="Khối A", level=BlocLevel.CENTRAL)
    bloc_b = Bloc.objects.create(name="Khối B", level=BlocLevel.CENTRAL)
    BlocMembership.objects.create(bloc=bloc_a, unit=x, joined_on=datetime.date(2020, 1, 1))
    BlocMembership.objects.create(bloc=bloc_b, unit=y, joined_on=datetime.date(2020, 1, 1))

    users = {
        "hr": _user("hr", Role.HR_STAFF, x),
        "focal_x1": _user("focal_x1", Role.FOCAL_POINT, x1),
        "focal_y": _user("focal_y", Role.FOCAL_POINT, y),
        "leader": _user("leader", Role.LEADER, x),
        "council": _user("council", Role.COUNCIL_MEMBER, x),
        "hr_y": _user("hr_y", Role.HR_STAFF, y),
        "hr_x1": _user("hr_x1", Role.HR_STAFF, x1),
        "secretary": _user("secretary"),
        "secretary_b": _user("secretary_b"),
        "admin_user": User.objects.create_superuser(
            "admin", "admin@example.org", "mat-khau-quan-tri"
        ),
    }
    BlocSecretariat.objects.create(bloc=bloc_a, user=users["secretary"])
    BlocSecretariat.objects.create(bloc=bloc_b, user=users["secretary_b"])

    side_x = build_side(
        "x", x, x1, bloc_a, hr=users["hr"], focal=users["focal_x1"], council=users["council"]
    )
    side_y = build_side("y", y, y1, bloc_b, hr=users["hr_y"], focal=users["focal_y"], council=None)
    return World(x=side_x, y=side_y, users=users)
