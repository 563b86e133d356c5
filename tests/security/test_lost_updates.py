"""Lost updates: every page that edits a shared record checks the record's version.

For each edit page (campaigns.versioning), as a browser would: two people open the
form; the first saves; the second's save is refused with the conflict message and
the first's data stays. A POST without the hidden ``version`` is refused with the
same message. The pages are read and posted as HTML forms (every input, select and
textarea the page sends), on the authorization matrix's world (body X's objects).

Reproduce: ``.venv/bin/pytest tests/security/test_lost_updates.py -q``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from campaigns.versioning import conflict_message
from tests.security.matrix_world import Side, World
from tests.security.test_authorization_matrix import client_of

pytestmark = pytest.mark.django_db


# The page's forms, as a browser sends them ------------------------------------------------------


@dataclass
class HtmlForm:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def names(self) -> set[str]:
        return {name for name, _value in self.fields}

    def data(self, changes: dict[str, str], drop: tuple[str, ...] = ()) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.fields:
            if name in drop:
                continue
            out.setdefault(name, []).append(value)
        for name, value in changes.items():
            out[name] = [value]
        return out


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: tuple[str, bool, list[str], list[str]] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":  # a formset's empty row: not sent
            self._template += 1
        if self._template:
            return
        if tag == "form":
            self._form = HtmlForm(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            name = a.get("name")
            if not name or kind in ("submit", "button", "file", "reset", "image"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
            else:
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "multiple" in a, [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select[3].append(value)
            if "selected" in a:
                self._select[2].append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template -= 1
        if self._template:
            return
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple, chosen, options = self._select
            if not multiple and not chosen and options:
                chosen = options[:1]
            self._form.fields += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text)
            self._form.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def edit_form(client: Client, url: str, name: str) -> HtmlForm:
    """The page's POST form that holds the field ``name``."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    parser = FormParser()
    parser.feed(response.content.decode())
    forms = [f for f in parser.forms if f.method == "post" and name in f.names()]
    assert forms, f"{url}: no form with {name!r}"
    assert any(n.endswith("version") for n in forms[0].names()), f"{url}: sends no version"
    return forms[0]


def post(client: Client, url: str, form: HtmlForm, data: dict[str, list[str]]):
    return client.post(form.action or url, data)


# The edit pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    route: str
    kwargs: Callable[[Side], dict[str, Any]]
    persona: str
    field: str  # the input changed in both forms
    # What the first, second and version-less saves write (or a function of the side).
    values: tuple[str, str, str] | Callable[[Side], tuple[str, str, str]]
    stored: Callable[[Side], Any]  # the value as stored, to compare with the first's
    model: str  # "app.Model" whose version the page claims: its conflict message
    first_status: int = 302
    setup: Callable[[Side], None] | None = None  # makes the world's record savable

    @property
    def id(self) -> str:
        return self.route

    def field_for(self, side: Side) -> str:
        return self.field.format(area=side.area.pk)

    def values_for(self, side: Side) -> tuple[str, str, str]:
        return self.values(side) if callable(self.values) else self.values


def _get(model: str, **lookup: Any) -> Any:
    return apps.get_model(model)._default_manager.get(**lookup)


def _deputy(side: Side) -> None:
    """A bloc year names at least one deputy among the bloc's members."""
    import datetime

    deputy = apps.get_model("campaigns.Unit").objects.create(
        code=f"Z{side.tag}", name=f"Cơ quan phó {side.marker}", kind="body"
    )
    apps.get_model("pledges.BlocMembership").objects.create(
        bloc=side.bloc, unit=deputy, joined_on=datetime.date(2020, 1, 1)
    )
    side.bloc_year.deputies.add(deputy)


def _table_set_up(side: Side) -> None:
    """Groups and criteria change while the scoring table is being set up."""
    apps.get_model("pledges.ScoringTable")._default_manager.filter(bloc_year=side.scoring).update(
        stage="setup"
    )


def _staff_code(side: Side) -> None:
    """The exemplar's form finds its person by staff code."""
    type(side.person)._default_manager.filter(pk=side.person.pk).update(
        staff_code=f"{side.marker}-001"
    )


def _approved_nomination(side: Side) -> None:
    """A draft decision grants at least one approved nomination: the one on the agenda."""
    nomination = side.item.nomination
    type(nomination)._default_manager.filter(pk=nomination.pk).update(status="approved")
    side.decision.nominations.add(nomination)


def _final_phase(side: Side) -> None:
    """The plan's rules want its last phase to end in the final review (tổng kết)."""
    apps.get_model("campaigns.Phase")._default_manager.filter(pk=side.phase.pk).update(
        review_kind="final"
    )


CASES = [
    Case(
        "campaigns:edit",
        lambda s: {"pk": s.campaign.pk},
        "hr",
        "name",
        ("Phong trào sửa lần một", "Phong trào sửa lần hai", "Phong trào không phiên bản"),
        lambda s: _get("campaigns.Campaign", pk=s.campaign.pk).name,
        "campaigns.Campaign",
        setup=_final_phase,
    ),
    Case(
        "campaigns:phases",
        lambda s: {"pk": s.campaign.pk},
        "hr",
        "phases-0-name",
        ("Giai đoạn một", "Giai đoạn hai", "Giai đoạn ba"),
        lambda s: _get("campaigns.Phase", pk=s.phase.pk).name,
        "campaigns.Campaign",
        setup=_final_phase,
    ),
    Case(
        "campaigns:content_areas",
        lambda s: {"pk": s.campaign.pk},
        "hr",
        "areas-0-title",
        ("Nội dung một", "Nội dung hai", "Nội dung ba"),
        lambda s: _get("campaigns.ContentArea", pk=s.area.pk).title,
        "campaigns.Campaign",
    ),
    Case(
        "campaigns:targets",
        lambda s: {"pk": s.campaign.pk, "area_pk": s.area.pk},
        "hr",
        "targets-0-text",
        ("Chỉ tiêu một", "Chỉ tiêu hai", "Chỉ tiêu ba"),
        lambda s: _get("campaigns.Target", content_area=s.area).text,
        "campaigns.Campaign",
    ),
    Case(
        "campaigns:milestones",
        lambda s: {"pk": s.campaign.pk},
        "hr",
        "milestones-0-title",
        ("Mốc một", "Mốc hai", "Mốc ba"),
        lambda s: _get("campaigns.Milestone", campaign=s.campaign).title,
        "campaigns.Campaign",
    ),
    Case(
        "campaigns:progress_edit",
        lambda s: {"pk": s.campaign.pk, "phase_pk": s.phase.pk, "unit_pk": s.dept.pk},
        "hr",
        "area{area}-summary",
        ("Kết quả một", "Kết quả hai", "Kết quả ba"),
        lambda s: _get("campaigns.ProgressEntry", phase=s.phase, unit=s.dept).summary,
        "campaigns.ProgressEntry",
    ),
    Case(
        "org:unit_edit",
        lambda s: {"pk": s.dept.pk},
        "hr",
        "name",
        ("Vụ sửa lần một", "Vụ sửa lần hai", "Vụ không phiên bản"),
        lambda s: _get("campaigns.Unit", pk=s.dept.pk).name,
        "campaigns.Unit",
    ),
    Case(
        "org:person_edit",
        lambda s: {"pk": s.person.pk},
        "hr",
        "position",
        ("Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên chính"),
        lambda s: _get("campaigns.Person", pk=s.person.pk).position,
        "campaigns.Person",
    ),
    Case(
        "pledges:bloc_members_edit",
        lambda s: {"pk": s.bloc.pk},
        "secretary",
        "members-0-left_on",
        ("2030-12-31", "2030-06-30", "2030-03-31"),
        lambda s: str(_get("pledges.BlocMembership", bloc=s.bloc).left_on),
        "pledges.Bloc",
    ),
    Case(
        "pledges:bloc_year_edit",
        lambda s: {"pk": s.bloc_year.pk},
        "secretary",
        "flag_handover_occasion",
        ("Hội nghị một", "Hội nghị hai", "Hội nghị ba"),
        lambda s: _get("pledges.BlocYear", pk=s.bloc_year.pk).flag_handover_occasion,
        "pledges.BlocYear",
        setup=_deputy,
    ),
    Case(
        "pledges:pledge_edit",
        lambda s: {"pk": s.pledge.pk},
        "secretary",
        "title",
        ("Giao ước sửa lần một", "Giao ước sửa lần hai", "Giao ước không phiên bản"),
        lambda s: _get("pledges.Pledge", pk=s.pledge.pk).title,
        "pledges.Pledge",
    ),
    Case(
        "pledges:commitments_edit",
        lambda s: {"pk": s.pledge.pk},
        "secretary",
        "commitments-0-text",
        ("Cam kết một", "Cam kết hai", "Cam kết ba"),
        lambda s: _get("pledges.Commitment", pledge=s.pledge).text,
        "pledges.Pledge",
    ),
    Case(
        "pledges:scoring_groups",
        lambda s: {"pk": s.scoring.pk},
        "secretary",
        "groups-0-title",
        ("Nhóm một", "Nhóm hai", "Nhóm ba"),
        lambda s: _get("pledges.CriterionGroup", pk=s.group.pk).title,
        "pledges.ScoringTable",
        setup=_table_set_up,
    ),
    Case(
        "pledges:scoring_criteria",
        lambda s: {"pk": s.scoring.pk, "group_pk": s.group.pk},
        "secretary",
        "criteria-0-text",
        ("Tiêu chí một", "Tiêu chí hai", "Tiêu chí ba"),
        lambda s: _get("pledges.Criterion", group=s.group).text,
        "pledges.ScoringTable",
        setup=_table_set_up,
    ),
    Case(  # the table's page holds the deadlines form, which posts to scoring_deadlines
        "pledges:scoring_table",
        lambda s: {"pk": s.scoring.pk},
        "secretary",
        "self_deadline",
        ("2030-01-10", "2030-01-20", "2030-01-30"),
        lambda s: str(_get("pledges.ScoringTable", bloc_year=s.scoring).self_deadline),
        "pledges.ScoringTable",
    ),
    Case(
        "awards:exemplar_edit",
        lambda s: {"pk": s.exemplar.pk},
        "hr",
        "headline",
        ("Điển hình một", "Điển hình hai", "Điển hình ba"),
        lambda s: _get("awards.Exemplar", pk=s.exemplar.pk).headline,
        "awards.Exemplar",
        setup=_staff_code,
    ),
    Case(
        "awards:records_initiative_edit",
        lambda s: {"unit_pk": s.dept.pk, "year": s.year, "pk": s.initiative.pk},
        "hr",
        "title",
        ("Sáng kiến một", "Sáng kiến hai", "Sáng kiến ba"),
        lambda s: _get("awards.Initiative", pk=s.initiative.pk).title,
        "awards.Initiative",
    ),
    Case(
        "awards:records_ratings",
        lambda s: {"unit_pk": s.dept.pk, "year": s.year},
        "hr",
        "ratings-0-rating",
        ("good", "done", "not_done"),
        lambda s: _get("awards.TaskRating", person=s.person, year=s.year).rating,
        "awards.TaskRating",
    ),
    Case(
        "awards:records_discipline",
        lambda s: {"unit_pk": s.dept.pk, "year": s.year},
        "hr",
        "discipline-0-decision",
        ("Quyết định một", "Quyết định hai", "Quyết định ba"),
        lambda s: _get("awards.DisciplineRecord", person=s.person).decision,
        "awards.DisciplineRecord",
    ),
    Case(
        "awards:round_update",
        lambda s: {"pk": s.award_round.pk},
        "hr",
        "name",
        ("Đợt một", "Đợt hai", "Đợt ba"),
        lambda s: _get("awards.AwardRound", pk=s.award_round.pk).name,
        "awards.AwardRound",
    ),
    Case(
        "awards:nomination_update",
        lambda s: {"pk": s.nomination.pk},
        "hr",
        "achievement_summary",
        ("Thành tích một", "Thành tích hai", "Thành tích ba"),
        lambda s: _get("awards.Nomination", pk=s.nomination.pk).achievement_summary,
        "awards.Nomination",
    ),
    Case(
        "awards:registration_edit",
        lambda s: {"pk": s.registration.pk},
        "hr",
        "collective_title",
        lambda s: ("", *[str(_get("awards.AwardType", code="TTLDTT").pk)] * 2),
        lambda s: str(_get("awards.Registration", pk=s.registration.pk).collective_title_id or ""),
        "awards.Registration",
    ),
    Case(
        "awards:decision_edit",
        lambda s: {"pk": s.decision.pk},
        "hr",
        "signer_name",
        ("Người ký một", "Người ký hai", "Người ký ba"),
        lambda s: _get("awards.AwardDecision", pk=s.decision.pk).signer_name,
        "awards.AwardDecision",
        setup=_approved_nomination,
    ),
    Case(
        "awards:council_session_edit",
        lambda s: {"pk": s.session.pk},
        "hr",
        "chair",
        ("Chủ tịch một", "Chủ tịch hai", "Chủ tịch ba"),
        lambda s: _get("awards.CouncilSession", pk=s.session.pk).chair,
        "awards.CouncilSession",
    ),
    Case(
        "reports:draft_detail",
        lambda s: {"pk": s.draft.pk},
        "hr",
        "context",
        ("Bối cảnh một", "Bối cảnh hai", "Bối cảnh ba"),
        lambda s: _get("reports.ReportDraft", pk=s.draft.pk).context,
        "reports.ReportDraft",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_second_of_two_open_forms_is_refused(matrix_world: World, case: Case) -> None:
    side = matrix_world.x
    if case.setup is not None:
        case.setup(side)
    url = reverse(case.route, kwargs=case.kwargs(side))
    client = client_of(matrix_world, case.persona)
    message = conflict_message(apps.get_model(case.model))
    name = case.field_for(side)
    first_form, second_form = edit_form(client, url, name), edit_form(client, url, name)
    first, second, _third = case.values_for(side)

    response = post(client, url, first_form, first_form.data({name: first}))
    assert response.status_code == case.first_status, _explain(response) + repr(
        getattr(response, "context", None)
        and response.context.get("form")
        and response.context["form"].errors
    )
    assert case.stored(side) == first

    response = post(client, url, second_form, second_form.data({name: second}))
    assert response.status_code != 302, f"{case.route}: the stale form was saved"
    assert message in html.unescape(response.content.decode()), _explain(response)
    assert case.stored(side) == first


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_post_without_the_version_is_refused(matrix_world: World, case: Case) -> None:
    side = matrix_world.x
    if case.setup is not None:
        case.setup(side)
    url = reverse(case.route, kwargs=case.kwargs(side))
    client = client_of(matrix_world, case.persona)
    message = conflict_message(apps.get_model(case.model))
    name = case.field_for(side)
    form = edit_form(client, url, name)
    before = case.stored(side)
    for version in (None, "", "abc", "-1"):
        changes = {name: case.values_for(side)[2]}
        if version is not None:
            changes.update({n: version for n in form.names() if n.endswith("version")})
        drop = tuple(n for n in form.names() if n.endswith("version")) if version is None else ()
        response = post(client, url, form, form.data(changes, drop=drop))
        assert response.status_code != 302, f"{case.route}: saved with version={version!r}"
        assert message in html.unescape(response.content.decode()), _explain(response)
        assert case.stored(side) == before


def _explain(response) -> str:
    text = html.unescape(response.content.decode())
    start = text.find("alert")
    return f"{response.status_code}: {text[start : start + 600] if start >= 0 else text[:600]}"
