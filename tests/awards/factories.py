"""factory_boy factories for the awards tests. Append; others add theirs below."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from awards.models import (
    AgendaItem,
    AwardDecision,
    AwardRound,
    AwardType,
    Category,
    CouncilSession,
    Level,
    Nomination,
    NominationStatus,
    Rule,
    RuleKind,
    RuleSet,
    Subject,
    Track,
)
from tests.factories import PersonFactory, UnitFactory

# Council and decisions -----------------------------------------------------------------------


class AwardTypeFactory(factory.django.DjangoModelFactory):
    """An award type with a code no seeded catalogue uses, so no seeded rule applies to it."""

    class Meta:
        model = AwardType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Danh hiệu thử nghiệm {n}")
    category = Category.EMULATION_TITLE
    subject = Subject.INDIVIDUAL
    level = Level.MINISTRY


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleSet

    award_type = factory.SubFactory(AwardTypeFactory)
    effective_from = datetime.date(2024, 1, 1)
    legal_basis = "Luật 06/2022/QH15; Nghị định 98/2023/NĐ-CP"


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    rule_set = factory.SubFactory(RuleSetFactory)
    kind = RuleKind.COUNCIL_APPROVAL
    params = factory.LazyFunction(lambda: {"share": 0.9, "secret": True})
    legal_basis = "Nghị định 98/2023/NĐ-CP"


def council_rule(award_type: AwardType, *, share: float | None, secret: bool, year: int = 2024):
    """The COUNCIL_APPROVAL rule for ``award_type`` from 1 January of ``year``."""
    params: dict = {"secret": secret}
    if share is not None:
        params["share"] = share
    rule_set = RuleSetFactory(award_type=award_type, effective_from=datetime.date(year, 1, 1))
    return RuleFactory(rule_set=rule_set, params=params)


class AwardRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardRound

    body = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Đợt khen thưởng số {n}")
    year = 2025


class NominationFactory(factory.django.DjangoModelFactory):
    """An accepted nomination of a person of the round's body."""

    class Meta:
        model = Nomination

    round = factory.SubFactory(AwardRoundFactory)
    proposing_unit = factory.LazyAttribute(lambda o: o.round.body)
    award_type = factory.SubFactory(AwardTypeFactory)
    person = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..proposing_unit"))
    unit = None
    year = factory.LazyAttribute(lambda o: o.round.year)
    track = Track.MERIT
    achievement_summary = "Hoàn thành xuất sắc nhiệm vụ được giao."
    status = NominationStatus.ACCEPTED


class CouncilSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilSession
        skip_postgeneration_save = True

    body = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"Phiên họp Hội đồng số {n}")
    held_on = datetime.date(2025, 12, 15)
    chair = "Nguyễn Văn Chủ Tịch"

    @factory.post_generation
    def members(self, create: bool, extracted, **kwargs: object) -> None:
        if create and extracted:
            self.members.set(extracted)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(CouncilSessionFactory)
    nomination = factory.SubFactory(
        NominationFactory, round__body=factory.SelfAttribute("...session.body")
    )
    secret = False
    required_share = None


class AwardDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardDecision
        skip_postgeneration_save = True

    body = factory.SubFactory(UnitFactory)
    number = factory.Sequence(lambda n: f"{n}/QĐ-TĐKT")
    signed_on = datetime.date(2025, 12, 20)
    signer_name = "Trần Văn Ký"
    signer_position = "Thủ trưởng cơ quan"

    @factory.post_generation
    def nominations(self, create: bool, extracted, **kwargs: object) -> None:
        if create and extracted:
            self.nominations.set(extracted)


NINETY_PERCENT = Decimal("0.9000")


# Rounds, nominations and dossiers ------------------------------------------------------------

import hashlib  # noqa: E402 - appended block, kept beside its factories

from awards.models import DossierFile, DossierKind  # noqa: E402
from tests.documents import tiny_pdf  # noqa: E402

_PDF = tiny_pdf()


class DossierFileFactory(factory.django.DjangoModelFactory):
    """A stored PDF in a nomination's dossier (a submission letter unless told)."""

    class Meta:
        model = DossierFile

    nomination = factory.SubFactory(NominationFactory, status=NominationStatus.DRAFT)
    kind = DossierKind.SUBMISSION_LETTER
    original_name = "Tờ trình đề nghị khen thưởng.pdf"
    content_type = "application/pdf"
    extension = ".pdf"
    size = len(_PDF)
    sha256 = hashlib.sha256(_PDF).hexdigest()
    file = factory.django.FileField(data=_PDF, filename="to-trinh.pdf")


def complete_dossier(nomination: Nomination) -> list[DossierFile]:
    """The files a nomination needs before it is sent (Law 06/2022/QH15 Art. 84)."""
    return [
        DossierFileFactory(nomination=nomination, kind=kind)
        for kind in (
            DossierKind.SUBMISSION_LETTER,
            DossierKind.ACHIEVEMENT_REPORT,
            DossierKind.MINUTES,
        )
    ]


# Rules catalogue and eligibility: ratings, discipline, initiatives, history, registrations -----

from awards.models import (  # noqa: E402 - appended block, kept beside its factories
    AwardRecord,
    DisciplineForm,
    DisciplineRecord,
    Initiative,
    InitiativeKind,
    Rating,
    Registration,
    RegistrationEntry,
    RegistrationStatus,
    Scope,
    TaskRating,
)


def seeded(code: str) -> AwardType:
    """A title or form of the seeded catalogue (awards/migrations/0002_seed_catalogue.py).

    Tests that flush the database (live server, transactional) remove migration data;
    this puts the seed back when it is missing.
    """
    found = AwardType.objects.filter(code=code).first()
    if found is None:
        import importlib

        from django.apps import apps

        importlib.import_module("awards.migrations.0002_seed_catalogue").seed(apps, None)
        found = AwardType.objects.get(code=code)
    return found


class TaskRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskRating

    person = factory.SubFactory(PersonFactory)
    unit = None
    year = 2024
    rating = Rating.GOOD


class DisciplineRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisciplineRecord

    person = factory.SubFactory(PersonFactory)
    form = DisciplineForm.WARNING
    start_date = datetime.date(2024, 3, 1)
    end_date = datetime.date(2025, 2, 28)
    decision = factory.Sequence(lambda n: f"{n}/QĐ-KL")


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    kind = InitiativeKind.INITIATIVE
    title = factory.Sequence(lambda n: f"Sáng kiến cải tiến quy trình số {n}")
    unit = factory.SubFactory(UnitFactory)
    year = 2024
    scope = Scope.GRASSROOTS
    recognition = factory.Sequence(lambda n: f"{n}/QĐ-HĐSK")

    @factory.post_generation
    def authors(self, create: bool, extracted, **kwargs: object) -> None:
        if create and extracted:
            self.authors.set(extracted)


class AwardRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardRecord

    award_type = factory.SubFactory(AwardTypeFactory)
    person = factory.SubFactory(PersonFactory)
    unit = None
    year = 2024
    track = Track.MERIT
    is_imported = True
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-KT")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    unit = factory.SubFactory(UnitFactory)
    year = 2024
    campaign = None
    collective_title = None
    status = RegistrationStatus.SUBMITTED


class RegistrationEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationEntry

    registration = factory.SubFactory(RegistrationFactory)
    person = factory.SubFactory(PersonFactory)
    award_type = factory.SubFactory(AwardTypeFactory)
