"""One small world holding every object a form or a POST view of the app needs.

Built on the shared personas' org (tests/conftest.py): body X with X1, X1A, X2;
body Y unrelated. Objects of Y are the "other unit's ids" the fuzzers offer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User

from awards.models import (
    AgendaItem,
    AwardRecord,
    AwardRound,
    AwardType,
    CouncilSession,
    Nomination,
    Registration,
    RegistrationStatus,
)
from campaigns.models import (
    Campaign,
    CampaignStatus,
    ContentArea,
    Person,
    Phase,
    ReviewKind,
    Role,
    Target,
    Unit,
)
from pledges.models import BlocYear, Criterion, Pledge, ScoringStage, ScoringTable
from reports.models import ReportDraft, ReportKind
from tests.awards import council_setup, nomination_setup
from tests.awards.factories import AwardRecordFactory, RegistrationFactory
from tests.factories import (
    BlocMembershipFactory,
    CampaignFactory,
    ContentAreaFactory,
    PersonFactory,
    PhaseFactory,
    RoleFactory,
    TargetFactory,
    UserFactory,
)
from tests.pledges import pledge_setup
from tests.pledges.scoring_factories import table_with_criteria


@dataclass
class World:
    org: object
    hr: User
    focal_x1: User
    council: User
    secretary: User
    leader: User
    focal_x: User
    campaign: Campaign
    phase: Phase
    area: ContentArea
    target: Target
    campaign_y: Campaign
    person: Person
    person_y: Person
    bloc_year: BlocYear
    pledge: Pledge
    scoring_year: BlocYear
    table: ScoringTable
    criteria: list[Criterion]
    members: list[Unit]
    award_round: AwardRound
    individual: AwardType
    collective: AwardType
    nomination: Nomination
    session: CouncilSession
    item: AgendaItem
    approved: list[Nomination]
    record: AwardRecord
    registration: Registration
    draft: ReportDraft

    def other_ids(self) -> list[int]:
        """Primary keys of body Y's objects: a form of X's must never accept them."""
        return [self.org.y.pk, self.person_y.pk, self.campaign_y.pk]


def build_world(org, *, hr, focal_x1, council, secretary, leader) -> World:
    focal_x = UserFactory(username="focal_x", first_name="Đầu mối X")
    RoleFactory(user=focal_x, unit=org.x, role=Role.FOCAL_POINT)
    campaign = CampaignFactory(
        name="Thi đua xây dựng xã hội học tập",
        issuing_unit=org.x,
        status=CampaignStatus.LAUNCHED,
        participating_units=[org.x],
    )
    phase = PhaseFactory(campaign=campaign, number=1, name="Giai đoạn 1")
    PhaseFactory(
        campaign=campaign,
        number=2,
        name="Giai đoạn 2",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        review_kind=ReviewKind.FINAL,
    )
    area = ContentAreaFactory(campaign=campaign, number=1, title="Học tập suốt đời")
    target = TargetFactory(content_area=area)
    target.refresh_from_db()  # the goal as a Decimal, as a page loads it
    campaign_y = CampaignFactory(name="Phong trào của Y", issuing_unit=org.y)
    person = PersonFactory(unit=org.x1, full_name="Nguyễn Thị Hằng", staff_code="KTNN-01")
    person_y = PersonFactory(unit=org.y, full_name="Trần Văn Y", staff_code="Y-01")

    # Bloc A, 2024: X, P (leader) and Q; the secretary of bloc A records for it.
    pledges = pledge_setup.build(org)
    pledge = pledge_setup.pledge_for(pledges.year_a)

    # Bloc A's 2023 scoring round: X and two more members, open for self-scoring.
    extra = []
    for code in ("M2", "M3"):
        unit = Unit.objects.create(code=code, name=f"Thành viên {code}", kind="body")
        BlocMembershipFactory(bloc=org.bloc_a, unit=unit)
        extra.append(unit)
    scoring_year = BlocYear.objects.create(bloc=org.bloc_a, year=2023, leader=extra[1])
    table, criteria = table_with_criteria(scoring_year, [10, 20], stage=ScoringStage.SELF)

    award_round = nomination_setup.make_round(org)
    individual = nomination_setup.individual_title()
    collective = nomination_setup.collective_title()
    nomination = nomination_setup.draft(focal_x1, award_round, person=person)

    accepted = council_setup.accepted(award_round, award_type=individual)
    session = council_setup.open_session(org.x, hr, [council], accepted)
    item = council_setup.item_of(session, accepted[0])
    approved = council_setup.approved(org.x, hr, count=1)
    record = AwardRecordFactory(person=person, unit=None, award_type=individual, year=2024)

    registration = RegistrationFactory(unit=org.x1, year=2025, status=RegistrationStatus.DRAFT)
    draft = ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=org.x,
        title="Báo cáo sơ kết giai đoạn 1",
        created_by=hr,
    )
    return World(
        org=org,
        hr=hr,
        focal_x1=focal_x1,
        council=council,
        secretary=secretary,
        leader=leader,
        focal_x=focal_x,
        campaign=campaign,
        phase=phase,
        area=area,
        target=target,
        campaign_y=campaign_y,
        person=person,
        person_y=person_y,
        bloc_year=pledges.year_a,
        pledge=pledge,
        scoring_year=scoring_year,
        table=table,
        criteria=criteria,
        members=[org.x, *extra],
        award_round=award_round,
        individual=individual,
        collective=collective,
        nomination=nomination,
        session=session,
        item=item,
        approved=approved,
        record=record,
        registration=registration,
        draft=draft,
    )


def build_world_from_scratch() -> World:
    """The personas of tests/conftest.py and the world, without function-scoped fixtures,
    so a module can build it once (the fuzzers run thousands of examples over it)."""
    from tests.conftest import Org, _user
    from tests.factories import BlocFactory, BlocSecretariatFactory, UnitFactory

    x = UnitFactory(code="X", name="Cơ quan X", kind="body")
    x1 = UnitFactory(code="X1", name="Vụ X1", parent=x)
    x1a = UnitFactory(code="X1A", name="Phòng X1A", parent=x1, kind="division")
    x2 = UnitFactory(code="X2", name="Vụ X2", parent=x)
    y = UnitFactory(code="Y", name="Cơ quan Y", kind="body")
    bloc_a, bloc_b = BlocFactory(name="Khối A"), BlocFactory(name="Khối B")
    BlocMembershipFactory(bloc=bloc_a, unit=x)
    BlocMembershipFactory(bloc=bloc_b, unit=y)
    org = Org(x=x, x1=x1, x1a=x1a, x2=x2, y=y, bloc_a=bloc_a, bloc_b=bloc_b)
    secretary = _user("secretary", None, None)
    BlocSecretariatFactory(bloc=bloc_a, user=secretary)
    return build_world(
        org,
        hr=_user("hr", Role.HR_STAFF, x),
        focal_x1=_user("focal_x1", Role.FOCAL_POINT, x1),
        council=_user("council", Role.COUNCIL_MEMBER, x),
        secretary=secretary,
        leader=_user("leader", Role.LEADER, x),
    )
