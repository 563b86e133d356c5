"""Every form of the app, how its view builds it, and (for the forms that save) the
service its view calls with the cleaned data.

``COVERED`` is the explicit list the discovery test compares against: a new form
class anywhere in the apps fails that test until it gets a case here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.test import RequestFactory

from awards import (
    council_forms,
    council_selectors,
    council_services,
    decision_forms,
    decision_selectors,
    decision_services,
    history_forms,
    nomination_forms,
    nomination_selectors,
    nomination_services,
    records_forms,
    registration_forms,
    registration_services,
)
from awards.admin_catalogue import RuleForm
from awards.history_services import exemplar_save
from awards.models import AwardRound
from campaigns import access
from campaigns import forms as campaign_forms
from campaigns import services as campaign_services
from campaigns.import_forms import ImportUploadForm
from campaigns.models import Campaign, ContentArea, Milestone, Person, Phase, Target, Unit
from campaigns.versioning import VersionForm, claim_version
from config.forms import LoginForm
from pledges import document_forms, scoring_forms, scoring_services
from pledges import forms as pledge_forms
from pledges import services as pledge_services
from pledges.models import BlocMembership, Criterion, CriterionGroup
from reports import draft_forms, kind_forms
from reports import draft_services as report_drafts
from reports.draft_views import draft_areas

from .fuzz_world import World

Make = Callable[[World, Any], forms.BaseForm]
Save = Callable[[World, forms.BaseForm], Any]


Valid = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class FormCase:
    form_class: type[forms.BaseForm]
    make: Make
    save: Save | None = None
    # A valid POST for the form: examples start from it and change a few fields, so
    # each hostile value is tried with everything else right and the save path is reached.
    valid: Valid | None = None

    @property
    def name(self) -> str:
        return f"{self.form_class.__module__}.{self.form_class.__qualname__}"


def _x_units(world: World):
    return Unit.objects.filter(path__startswith=world.org.x.path).order_by("path")


def _people(world: World) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.filter(unit__path__startswith=world.org.x.path)}


def _campaign_kwargs(world: World) -> dict[str, Any]:
    user = world.hr
    return {
        "issuing_units": access.plan_units(user).filter(depth__lte=3).order_by("path"),
        "participating_choices": access.visible_units(user).filter(depth__lte=3),
        "linkable": access.visible_campaigns(user),
    }


def _save_campaign(world: World, form: Any) -> None:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    campaign_services.campaign_create(by=world.hr, **data)


def _save_progress(world: World, form: Any) -> None:
    campaign_services.progress_record(
        phase=world.phase,
        content_area=world.area,
        unit=world.org.x1,
        by=world.focal_x1,
        summary=form.cleaned_data["summary"],
        figures=form.figures(),
    )


def _nomination_kwargs(world: World) -> dict[str, Any]:
    root = world.org.x1
    return {
        "people": Person.objects.filter(unit__path__startswith=root.path),
        "units": nomination_selectors.nominee_units(root),
        "proposing_units": Unit.objects.filter(pk=root.pk),
        "person_options": nomination_selectors.person_options(
            nomination_selectors.nominee_people(root), None
        ),
    }


def _save_nomination(world: World, form: Any) -> None:
    data = form.cleaned_data
    nomination_services.nomination_create(
        by=world.focal_x1,
        award_round=world.award_round,
        proposing_unit=data["proposing_unit"],
        award_type=data["award_type"],
        person=data["person"],
        unit=data["unit"],
        track=data["track"],
        achievement_summary=data["achievement_summary"],
    )


def _save_round(world: World, form: Any) -> None:
    data = dict(form.cleaned_data)
    body = data.pop("body")
    nomination_services.round_create(by=world.hr, body=body, **data)


def _save_draft(world: World, form: Any) -> None:
    report_drafts.draft_update(
        draft=world.draft,
        by=world.hr,
        expected_version=form.cleaned_data["version"],
        **form.draft_fields(),
    )


def _login_form(world: World, data: Any) -> LoginForm:
    request = RequestFactory().post("/accounts/login/")
    return LoginForm(request, data=data)


def _entry_kwargs(world: World) -> dict[str, Any]:
    people = list(Person.objects.filter(unit__path__startswith=world.org.x1.path))
    return registration_forms.entry_form_kwargs(people, [world.individual])


def _scoring_members(world: World):
    return Unit.objects.filter(pk__in=[u.pk for u in world.members])


CASES: tuple[FormCase, ...] = (
    # campaigns ---------------------------------------------------------------------------
    FormCase(ImportUploadForm, lambda w, d: ImportUploadForm(d, {})),
    # The version beside a formset (campaigns.versioning): claimed as the plan pages do.
    FormCase(
        VersionForm,
        lambda w, d: VersionForm(d, record=w.campaign),
        lambda w, f: claim_version(w.campaign, f.expected_version),
        lambda w: {"version": str(w.campaign.version)},
    ),
    FormCase(
        campaign_forms.CampaignForm,
        lambda w, d: campaign_forms.CampaignForm(d, **_campaign_kwargs(w)),
        _save_campaign,
        lambda w: {
            "name": "Thi đua đổi mới sáng tạo",
            "kind": "regular",
            "issuing_unit": str(w.org.x.pk),
            "start_year": "2024",
            "end_year": "2026",
            "objectives": "Mục tiêu",
        },
    ),
    FormCase(
        campaign_forms.CampaignFilterForm,
        lambda w, d: campaign_forms.CampaignFilterForm(d, issuing_units=_x_units(w)),
    ),
    FormCase(
        campaign_forms.PhaseForm,
        lambda w, d: campaign_forms.PhaseForm(d, instance=Phase(campaign=w.campaign)),
    ),
    FormCase(
        campaign_forms.ContentAreaForm,
        lambda w, d: campaign_forms.ContentAreaForm(d, instance=ContentArea(campaign=w.campaign)),
    ),
    FormCase(
        campaign_forms.TargetForm,
        lambda w, d: campaign_forms.TargetForm(d, instance=Target(content_area=w.area)),
    ),
    FormCase(
        campaign_forms.MilestoneForm,
        lambda w, d: campaign_forms.MilestoneForm(
            d, instance=Milestone(campaign=w.campaign), units=_x_units(w)
        ),
    ),
    FormCase(
        campaign_forms.ProgressForm,
        lambda w, d: campaign_forms.ProgressForm(d, targets=[w.target]),
        _save_progress,
        lambda w: {"summary": "Đã tổ chức 3 lớp học", f"target_{w.target.pk}": "80"},
    ),
    FormCase(
        campaign_forms.UnitForm,
        lambda w, d: campaign_forms.UnitForm(d, parents=_x_units(w), root_allowed=False),
        lambda w, f: campaign_services.unit_save(unit=f.save(commit=False), by=w.hr),
        lambda w: {
            "code": "X9",
            "name": "Vụ X9",
            "kind": "department",
            "parent": str(w.org.x.pk),
            "is_active": "on",
        },
    ),
    FormCase(
        campaign_forms.PersonForm,
        lambda w, d: campaign_forms.PersonForm(d, units=_x_units(w)),
        lambda w, f: campaign_services.person_save(person=f.save(commit=False), by=w.hr),
        lambda w: {
            "full_name": "Lê Văn Mới",
            "unit": str(w.org.x1.pk),
            "position": "Chuyên viên",
            "gender": "",
            "birth_year": "1980",
            "staff_code": "KTNN-99",
            "is_active": "on",
        },
    ),
    # pledges ------------------------------------------------------------------------------
    FormCase(document_forms.PledgeDocumentForm, lambda w, d: document_forms.PledgeDocumentForm(d)),
    FormCase(scoring_forms.TableCreateForm, lambda w, d: scoring_forms.TableCreateForm(d)),
    FormCase(scoring_forms.DeadlinesForm, lambda w, d: scoring_forms.DeadlinesForm(d)),
    FormCase(scoring_forms.ReopenForm, lambda w, d: scoring_forms.ReopenForm(d)),
    FormCase(
        scoring_forms.CriterionGroupForm,
        lambda w, d: scoring_forms.CriterionGroupForm(d, instance=CriterionGroup(table=w.table)),
    ),
    FormCase(
        scoring_forms.CriterionForm,
        lambda w, d: scoring_forms.CriterionForm(d, instance=Criterion(group=w.criteria[0].group)),
    ),
    FormCase(
        scoring_forms.SelfScoreForm,
        lambda w, d: scoring_forms.SelfScoreForm(d, {}, criteria=w.criteria, existing={}),
        lambda w, f: scoring_services.self_scores_save(
            table=w.table, member=w.org.x, by=w.focal_x, entries=f.entries()
        ),
        lambda w: {
            **{f"points_{c.pk}": "5" for c in w.criteria},
            **{f"note_{c.pk}": "Giải trình" for c in w.criteria},
        },
    ),
    FormCase(
        scoring_forms.CrossScoreForm,
        lambda w, d: scoring_forms.CrossScoreForm(
            d, scorer=w.org.x, criteria=w.criteria, members=w.members, existing={}
        ),
    ),
    FormCase(
        scoring_forms.FinalScoreForm,
        lambda w, d: scoring_forms.FinalScoreForm(d, criteria=w.criteria, existing={}),
    ),
    FormCase(
        scoring_forms.AcclamationForm,
        lambda w, d: scoring_forms.AcclamationForm(
            d, members=_scoring_members(w), member_count=3, year=w.scoring_year.year
        ),
    ),
    FormCase(
        pledge_forms.MembershipForm,
        lambda w, d: pledge_forms.MembershipForm(
            d, instance=BlocMembership(bloc=w.org.bloc_a), units=_x_units(w)
        ),
    ),
    FormCase(
        pledge_forms.BlocYearForm,
        lambda w, d: pledge_forms.BlocYearForm(d, units=_scoring_members(w)),
        lambda w, f: pledge_services.bloc_year_create(
            bloc=w.org.bloc_a, by=w.secretary, **f.cleaned_data
        ),
        lambda w: {
            "year": "2025",
            "leader": str(w.members[1].pk),
            "deputies": str(w.members[2].pk),
            "flag_handover_date": "2025-01-15",
            "flag_handover_occasion": "Hội nghị tổng kết",
        },
    ),
    FormCase(
        pledge_forms.PledgeForm,
        lambda w, d: pledge_forms.PledgeForm(
            d, bloc_year=w.bloc_year, campaigns=Campaign.objects.filter(pk=w.campaign.pk)
        ),
        lambda w, f: pledge_services.pledge_create(
            bloc_year=w.bloc_year, by=w.secretary, **f.cleaned_data
        ),
        lambda w: {"title": "Giao ước bổ sung", "ceremony_date": "2024-03-20", "place": "Huế"},
    ),
    FormCase(
        pledge_forms.CommitmentForm,
        lambda w, d: pledge_forms.CommitmentForm(d),
    ),
    FormCase(
        pledge_forms.SignatureForm,
        lambda w, d: pledge_forms.SignatureForm(d, year=w.bloc_year.year),
        lambda w, f: pledge_services.pledge_sign(
            pledge=w.pledge, member=w.org.x, by=w.secretary, **f.cleaned_data
        ),
        lambda w: {
            "signatory_name": "Trần Văn Ký",
            "signatory_position": "Thứ trưởng",
            "signed_on": "2024-03-15",
        },
    ),
    FormCase(pledge_forms.AmendmentForm, lambda w, d: pledge_forms.AmendmentForm(d)),
    # awards -------------------------------------------------------------------------------
    FormCase(
        records_forms.RecordsChooserForm,
        lambda w, d: records_forms.RecordsChooserForm(d, units=_x_units(w)),
    ),
    FormCase(records_forms.UnitRatingForm, lambda w, d: records_forms.UnitRatingForm(d)),
    FormCase(
        records_forms.PersonRatingForm,
        lambda w, d: records_forms.PersonRatingForm(d, people=_people(w)),
    ),
    FormCase(
        records_forms.DisciplineForm,
        lambda w, d: records_forms.DisciplineForm(
            d,
            people=_people(w),
            people_choices=records_forms.pick_choices(_people(w).values()),
            year=2024,
        ),
    ),
    FormCase(
        records_forms.InitiativeForm,
        lambda w, d: records_forms.InitiativeForm(d, units=_x_units(w), people=_people(w)),
    ),
    FormCase(
        decision_forms.DecisionForm,
        lambda w, d: decision_forms.DecisionForm(
            d,
            candidates=decision_selectors.decision_candidates(w.org.x),
            rounds=council_selectors.body_rounds(w.org.x),
        ),
        lambda w, f: decision_services.decision_create(body=w.org.x, by=w.hr, **f.cleaned_data),
        lambda w: {
            "number": "9/QĐ-X",
            "signed_on": "2025-12-20",
            "signer_name": "Phạm Văn Ký",
            "signer_position": "Thủ trưởng",
            "nominations": str(w.approved[0].pk),
        },
    ),
    FormCase(decision_forms.RevokeForm, lambda w, d: decision_forms.RevokeForm(d)),
    FormCase(
        registration_forms.RegistrationCreateForm,
        lambda w, d: registration_forms.RegistrationCreateForm(
            d,
            units=Unit.objects.filter(pk=w.org.x1.pk),
            campaigns=Campaign.objects.filter(pk=w.campaign.pk),
            titles=registration_services.collective_titles(),
        ),
        lambda w, f: registration_services.registration_create(by=w.focal_x1, **f.cleaned_data),
        lambda w: {"unit": str(w.org.x1.pk), "year": "2026"},
    ),
    FormCase(
        registration_forms.CollectiveTitleForm,
        lambda w, d: registration_forms.CollectiveTitleForm(
            d, titles=registration_services.collective_titles()
        ),
    ),
    FormCase(
        registration_forms.EntryForm,
        lambda w, d: registration_forms.EntryForm(d, **_entry_kwargs(w)),
    ),
    FormCase(registration_forms.ReturnForm, lambda w, d: registration_forms.ReturnForm(d)),
    FormCase(
        registration_forms.RegistrationFilterForm,
        lambda w, d: registration_forms.RegistrationFilterForm(d, units=_x_units(w)),
    ),
    FormCase(
        council_forms.BodyForm,
        lambda w, d: council_forms.BodyForm(d, bodies=Unit.objects.filter(pk=w.org.x.pk)),
    ),
    FormCase(
        council_forms.SessionForm,
        lambda w, d: council_forms.SessionForm(
            d,
            candidates=council_selectors.member_candidates(w.org.x),
            rounds=council_selectors.body_rounds(w.org.x),
        ),
        lambda w, f: council_services.session_create(body=w.org.x, by=w.hr, **f.cleaned_data),
        lambda w: {
            "title": "Phiên họp bổ sung",
            "held_on": "2025-12-16",
            "chair": "Nguyễn Văn Chủ",
            "members": str(w.council.pk),
        },
    ),
    FormCase(
        council_forms.AgendaForm,
        lambda w, d: council_forms.AgendaForm(
            d, candidates=council_selectors.agenda_candidates(w.session)
        ),
        lambda w, f: council_services.agenda_add(
            session=w.session, by=w.hr, nominations=f.cleaned_data["nominations"]
        ),
    ),
    FormCase(
        council_forms.VoteForm,
        lambda w, d: council_forms.VoteForm(d),
        lambda w, f: council_services.vote_cast(
            item=w.item, voter=w.council, choice=f.cleaned_data["choice"]
        ),
        lambda w: {"choice": "agree"},
    ),
    FormCase(
        nomination_forms.RoundForm,
        lambda w, d: nomination_forms.RoundForm(
            d,
            bodies=Unit.objects.filter(pk=w.org.x.pk),
            campaigns=Campaign.objects.filter(pk=w.campaign.pk),
        ),
        _save_round,
        lambda w: {
            "name": "Đợt khen thưởng chuyên đề",
            "body": str(w.org.x.pk),
            "year": "2025",
            "nomination_deadline": "2099-12-31",
            "is_open": "on",
        },
    ),
    FormCase(
        nomination_forms.NominationForm,
        lambda w, d: nomination_forms.NominationForm(d, **_nomination_kwargs(w)),
        _save_nomination,
        lambda w: {
            "proposing_unit": str(w.org.x1.pk),
            "award_type": str(w.individual.pk),
            "person": str(w.person.pk),
            "track": "merit",
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ",
        },
    ),
    FormCase(
        nomination_forms.ReturnForm,
        lambda w, d: nomination_forms.ReturnForm(d),
    ),
    FormCase(nomination_forms.NoteForm, lambda w, d: nomination_forms.NoteForm(d)),
    FormCase(nomination_forms.DossierFileForm, lambda w, d: nomination_forms.DossierFileForm(d)),
    FormCase(
        nomination_forms.NominationFilterForm,
        lambda w, d: nomination_forms.NominationFilterForm(
            d, rounds=AwardRound.objects.filter(body=w.org.x), units=_x_units(w)
        ),
    ),
    FormCase(
        history_forms.ExemplarForm,
        lambda w, d: history_forms.ExemplarForm(
            d,
            people=Person.objects.filter(unit__path__startswith=w.org.x.path),
            units=_x_units(w),
            campaigns=Campaign.objects.filter(pk=w.campaign.pk),
        ),
        lambda w, f: exemplar_save(
            exemplar=f.save(commit=False), campaigns=f.cleaned_data["campaigns"], by=w.hr
        ),
        lambda w: {
            "subject": "person",
            "person_code": "KTNN-01",
            "headline": "Tấm gương học tập suốt đời",
            "year": "2024",
            "story": "Câu chuyện",
        },
    ),
    FormCase(history_forms.ExemplarFilterForm, lambda w, d: history_forms.ExemplarFilterForm(d)),
    FormCase(
        history_forms.UnitAwardsFilterForm, lambda w, d: history_forms.UnitAwardsFilterForm(d)
    ),
    FormCase(history_forms.HistorySearchForm, lambda w, d: history_forms.HistorySearchForm(d)),
    FormCase(RuleForm, lambda w, d: RuleForm(d)),
    # reports ------------------------------------------------------------------------------
    FormCase(
        draft_forms.DraftCreateForm,
        lambda w, d: draft_forms.DraftCreateForm(
            d,
            campaigns=Campaign.objects.filter(pk=w.campaign.pk),
            phases=Phase.objects.filter(campaign=w.campaign),
        ),
        lambda w, f: report_drafts.draft_create(by=w.hr, **f.cleaned_data),
        lambda w: {
            "campaign": str(w.campaign.pk),
            "phase": str(w.campaign.phases.get(number=2).pk),
            "title": "Báo cáo tổng kết",
        },
    ),
    FormCase(
        draft_forms.DraftForm,
        lambda w, d: draft_forms.DraftForm(d, instance=w.draft, areas=draft_areas(w.draft)),
        _save_draft,
        lambda w: {
            "title": "Báo cáo sơ kết giai đoạn 1",
            "place": "Hà Nội",
            "document_date": "2025-12-30",
            "context": "Bối cảnh",
            "version": str(w.draft.version),
        },
    ),
    FormCase(kind_forms.BlocYearDraftForm, lambda w, d: kind_forms.BlocYearDraftForm(d)),
    FormCase(
        kind_forms.AwardStatisticsDraftForm,
        lambda w, d: kind_forms.AwardStatisticsDraftForm(
            d, bodies=Unit.objects.filter(pk=w.org.x.pk)
        ),
    ),
    # config -------------------------------------------------------------------------------
    FormCase(LoginForm, _login_form),
)

COVERED: frozenset[type[forms.BaseForm]] = frozenset(case.form_class for case in CASES)
