"""factory_boy factories for the test suite."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from campaigns.models import (
    Campaign,
    CampaignStatus,
    ContentArea,
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
from pledges.models import Bloc, BlocLevel, BlocMembership, BlocSecretariat


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Người dùng"

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or "mat-khau-thu-nghiem")
        if create:
            self.save(update_fields=["password"])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"DV{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị số {n}")
    kind = UnitKind.DEPARTMENT
    parent = None


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    position = "Chuyên viên"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.FOCAL_POINT


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Phong trào thi đua số {n}")
    issuing_unit = factory.SubFactory(UnitFactory)
    start_year = 2023
    end_year = 2030
    status = CampaignStatus.DRAFT

    @factory.post_generation
    def participating_units(
        self, create: bool, extracted: list[Unit] | None, **kwargs: object
    ) -> None:
        if create:
            self.participating_units.set(extracted or [self.issuing_unit])


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    campaign = factory.SubFactory(CampaignFactory)
    number = 1
    name = "Giai đoạn 1"
    start_date = datetime.date(2023, 1, 1)
    end_date = datetime.date(2025, 12, 31)
    review_kind = ReviewKind.INTERIM


class ContentAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentArea

    campaign = factory.SubFactory(CampaignFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Nội dung thi đua {n}")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    content_area = factory.SubFactory(ContentAreaFactory)
    text = "Tỷ lệ cán bộ tham gia học tập"
    goal = 100
    unit_of_measure = "%"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    campaign = factory.SubFactory(CampaignFactory)
    title = "Ban hành hướng dẫn khen thưởng"
    due_date = datetime.date(2024, 3, 31)


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bloc

    name = factory.Sequence(lambda n: f"Khối thi đua {n}")
    level = BlocLevel.CENTRAL


class BlocMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlocMembership

    bloc = factory.SubFactory(BlocFactory)
    unit = factory.SubFactory(UnitFactory)
    joined_on = datetime.date(2020, 1, 1)


class BlocSecretariatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlocSecretariat

    bloc = factory.SubFactory(BlocFactory)
    user = factory.SubFactory(UserFactory)


# Pledges: bloc years, pledges, commitments, signatures -----------------------------------------

from pledges.models import (  # noqa: E402 - appended block, kept beside its factories
    BlocYear,
    Commitment,
    Pledge,
    PledgeStatus,
    Signature,
)


class BlocYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlocYear
        skip_postgeneration_save = True

    bloc = factory.SubFactory(BlocFactory)
    year = 2024
    leader = None

    @factory.post_generation
    def deputies(self, create: bool, extracted: list[Unit] | None, **kwargs: object) -> None:
        if create and extracted:
            self.deputies.set(extracted)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    bloc_year = factory.SubFactory(BlocYearFactory)
    title = factory.Sequence(lambda n: f"Giao ước thi đua số {n}")
    ceremony_date = datetime.date(2024, 3, 15)
    place = "Hà Nội"
    status = PledgeStatus.DRAFT


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    pledge = factory.SubFactory(PledgeFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Cam kết thực hiện tốt nhiệm vụ số {n}")


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    pledge = factory.SubFactory(PledgeFactory)
    member = factory.SubFactory(UnitFactory)
    signatory_name = factory.Sequence(lambda n: f"Trần Văn Ký {n}")
    signatory_position = "Thứ trưởng"
    signed_on = datetime.date(2024, 3, 15)
