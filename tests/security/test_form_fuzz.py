"""Every form of the app fuzzed with hostile input (hypothesis).

For each form: ``is_valid()`` never raises; no NUL character survives cleaning (a NUL
is refused with a field error or turned into a space, since PostgreSQL refuses it in
text); and when the form is valid, the service its view calls either saves or raises
the domain error the view shows, never anything else.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

import pytest
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from campaigns.errors import DomainError

from .fuzz_cases import CASES, COVERED
from .fuzz_strategies import (
    HOSTILE_IDS,
    form_data,
    hostile_text,
    near_valid_data,
    nul_free,
    to_multivalue,
)
from .fuzz_world import World, build_world_from_scratch

APPS = ("campaigns", "pledges", "awards", "reports", "config")
EXAMPLES = 30

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    # No shrinking: on a shared 2-core machine a failure reports its first example
    # at once instead of minutes later; the example is small enough to read as is.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)


def app_classes() -> Iterator[tuple[ModuleType, str, type]]:
    """(module, name, class) bound in any module of the apps (migrations, commands aside)."""
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for name, obj in inspect.getmembers(module, inspect.isclass):
                yield module, name, obj


def discovered_forms() -> set[type[forms.BaseForm]]:
    """Form classes defined in any module of the apps."""
    return {
        obj
        for module, _name, obj in app_classes()
        if issubclass(obj, forms.BaseForm)
        and obj.__module__ == module.__name__
        and not obj.__name__.startswith(("_", "Base"))
        and not obj.__name__.endswith("Mixin")
    }


def discovered_formsets() -> dict[type[forms.BaseFormSet], str]:
    """Formset classes bound to a module-level name in any module of the apps, each with
    the first name found for it (views import the forms modules' formsets)."""
    found: dict[type[forms.BaseFormSet], str] = {}
    for module, name, obj in app_classes():
        if (
            issubclass(obj, forms.BaseFormSet)
            and hasattr(obj, "form")
            and not name.startswith(("_", "Base"))
        ):
            found.setdefault(obj, f"{module.__name__}.{name}")
    return found


def test_every_formset_builds_at_most_max_num_forms_whatever_total_is_posted():
    """A forged TOTAL_FORMS must not make Django build max_num + 1,000 forms (its default
    absolute_max): the phases page took tens of seconds per request with 1,020 of them."""
    formsets = discovered_formsets()
    assert len(formsets) >= 10, formsets
    for formset_class, name in formsets.items():
        assert formset_class.absolute_max == formset_class.max_num, name
        data = {
            "f-TOTAL_FORMS": "1000000",
            "f-INITIAL_FORMS": "0",
            "f-MIN_NUM_FORMS": "0",
            "f-MAX_NUM_FORMS": "1000",
        }
        formset = forms.BaseFormSet.__new__(formset_class)
        forms.BaseFormSet.__init__(formset, data, prefix="f")
        assert formset.total_form_count() == formset_class.max_num, name


def test_it_covers_every_form_of_the_apps():
    found = discovered_forms()
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in found - COVERED)
    assert not missing, f"forms without a fuzz case in tests/security/fuzz_cases.py: {missing}"
    assert len(found) >= 50


def test_the_discovery_finds_forms_in_every_app():
    modules = {c.__module__.split(".")[0] for c in discovered_forms()}
    assert modules == set(APPS)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back after it; each test
    runs in its own savepoint (pytest-django's ``db``) and each example in another."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build_world_from_scratch()
        finally:
            transaction.set_rollback(True)


def _check_cleaned(form: forms.BaseForm) -> None:
    for name, value in form.cleaned_data.items():
        assert nul_free(value), f"{name}: NUL survived cleaning: {value!r}"
    instance = getattr(form, "instance", None)
    if instance is not None:
        for field in instance._meta.concrete_fields:
            value = getattr(instance, field.attname, None)
            assert nul_free(value), f"instance.{field.attname}: NUL reached the model"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_hostile_input_never_breaks_a_form(case, world, db):
    blank = case.make(world, None)
    other_ids = world.other_ids()
    counts = {"examples": 0, "valid": 0, "saved": 0, "refused": 0}
    if case.valid is not None:
        # The starting point is right: valid, and the service saves it.
        baseline = case.make(world, to_multivalue(case.valid(world)))
        assert baseline.is_valid(), baseline.errors
        if case.save is not None:
            with transaction.atomic():
                case.save(world, baseline)
                transaction.set_rollback(True)
        strategy = near_valid_data(blank, case.valid(world), other_ids=other_ids)
    else:
        strategy = form_data(blank, other_ids=other_ids)

    @FUZZ
    @given(data=st.data())
    def run(data):
        posted = data.draw(strategy)
        counts["examples"] += 1
        with transaction.atomic():
            form = case.make(world, posted)
            valid = form.is_valid()
            # A field holding NUL is refused (a field error) or cleaned to a space.
            _check_cleaned(form)
            if not valid:
                assert form.errors.as_ul()  # the errors render, as the page shows them
            counts["valid"] += valid
            if valid and case.save is not None:
                try:
                    with transaction.atomic():
                        case.save(world, form)
                    counts["saved"] += 1
                except DomainError:
                    counts["refused"] += 1
            transaction.set_rollback(True)

    run()
    _record(case, blank, counts)


def _record(case, form: forms.BaseForm, counts: dict[str, int]) -> None:
    """With FUZZ_STATS=<file>, one JSON line per form (docs/reliability.md's figures)."""
    path = os.environ.get("FUZZ_STATS")
    if path:
        line = {"form": case.name, "fields": len(form.fields), **counts}
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")


# Found by the fuzzer ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9" * 30, str(2**63)])
def test_an_id_past_64_bits_is_refused_with_a_field_error(world, db, value):
    """SQLite's driver raised OverflowError (a 500) on the IN () query of such an id."""
    case = next(c for c in CASES if c.form_class.__name__ == "CampaignForm")
    data = to_multivalue({**case.valid(world), "linked_campaigns": [value]})
    form = case.make(world, data)
    assert not form.is_valid()
    assert "linked_campaigns" in form.errors


# At the HTTP level: the main POST views, through the test client ---------------------------


@dataclass(frozen=True)
class PostView:
    """A POST view, who posts to it, and the form whose fields its data fuzzes."""

    key: str
    user: str  # attribute of World
    url: Callable[[World], str]
    form: str  # FormCase form class name, for its fields and valid data
    prefix: str = ""
    fixed: Callable[[World], dict[str, str]] = lambda w: {}


def _management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


POST_VIEWS = (
    PostView("campaign-create", "hr", lambda w: reverse("campaigns:create"), "CampaignForm"),
    PostView(
        "phases",
        "hr",
        lambda w: reverse("campaigns:phases", args=[w.campaign.pk]),
        "PhaseForm",
        prefix="phases-0",
        fixed=lambda w: {"version": str(w.campaign.version), **_management("phases", 1)},
    ),
    PostView("unit-create", "hr", lambda w: reverse("org:unit_create"), "UnitForm"),
    PostView("person-create", "hr", lambda w: reverse("org:person_create"), "PersonForm"),
    PostView(
        "pledge-create",
        "secretary",
        lambda w: reverse("pledges:pledge_create", args=[w.bloc_year.pk]),
        "PledgeForm",
    ),
    PostView(
        "signature",
        "secretary",
        lambda w: reverse("pledges:signatures_record", args=[w.pledge.pk]),
        "SignatureForm",
        prefix="m{x}",
        # The page pre-fills every member's date with the ceremony's, as a browser posts it.
        fixed=lambda w: {
            f"m{m.unit_id}-signed_on": w.pledge.ceremony_date.isoformat()
            for m in w.org.bloc_a.memberships.exclude(unit=w.org.x)
        },
    ),
    PostView(
        "self-score",
        "focal_x",
        lambda w: reverse("pledges:scoring_self", args=[w.scoring_year.pk, w.org.x.pk]),
        "SelfScoreForm",
    ),
    PostView(
        "registration-create",
        "focal_x1",
        lambda w: reverse("awards:registration_create"),
        "RegistrationCreateForm",
    ),
    PostView(
        "nomination-create",
        "focal_x1",
        lambda w: reverse("awards:nomination_create", args=[w.award_round.pk]),
        "NominationForm",
    ),
    PostView(
        "council-vote",
        "council",
        lambda w: reverse("awards:council_vote", args=[w.item.pk]),
        "VoteForm",
    ),
    PostView("decision-create", "hr", lambda w: reverse("awards:decision_create"), "DecisionForm"),
    PostView(
        "report-narrative",
        "hr",
        lambda w: reverse("reports:draft_detail", args=[w.draft.pk]),
        "DraftForm",
    ),
    PostView("login", "", lambda w: reverse("login"), "LoginForm"),
)
HTTP_EXAMPLES = 25


def _prefixed(view: PostView, world: World, values: MultiValueDict) -> MultiValueDict:
    if not view.prefix:
        return values
    prefix = view.prefix.format(x=world.org.x.pk)
    data = MultiValueDict()
    for key in values:
        data.setlist(f"{prefix}-{key}", values.getlist(key))
    return data


def _post_data(view: PostView, world: World, values: MultiValueDict) -> dict[str, list[str]]:
    prefixed = _prefixed(view, world, values)
    data = {key: prefixed.getlist(key) for key in prefixed}
    data.update({k: [v] for k, v in view.fixed(world).items() if k not in data})
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("view", POST_VIEWS, ids=lambda view: view.key)
def test_hostile_posts_never_get_a_500(view, world, db, client):
    case = next(c for c in CASES if c.form_class.__name__ == view.form)
    blank = case.make(world, None)
    if case.valid is not None:
        strategy = near_valid_data(blank, case.valid(world), other_ids=world.other_ids())
    else:
        strategy = form_data(blank, other_ids=world.other_ids())
    # Formset pages also get a hostile management form now and then: "21" is past the
    # phases' max_num and a million past any cap; both get the formset's own error, and
    # absolute_max keeps Django from building more than max_num forms for either.
    management = st.sampled_from(["1", "0", "-1", "abc", "21", "1000000", "1\x00", ""])
    url = view.url(world)
    statuses: dict[int, int] = {}

    @settings(FUZZ, max_examples=HTTP_EXAMPLES)
    @given(values=strategy, total=management)
    def run(values, total):
        data = _post_data(view, world, values)
        if view.prefix.startswith("phases"):
            data["phases-TOTAL_FORMS"] = [total]
        with transaction.atomic():
            if view.user:
                client.force_login(getattr(world, view.user))
            response = client.post(url, data)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code < 500, (response.status_code, data)
            if response.status_code == 200 and "text/html" in response["Content-Type"]:
                assert "<script>alert" not in response.text
            transaction.set_rollback(True)

    run()
    _record_http(view, statuses)


def _record_http(view: PostView, statuses: dict[int, int]) -> None:
    path = os.environ.get("FUZZ_STATS")
    if path:
        line = {"view": view.key, "statuses": statuses}
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")


# At the HTTP level: list and search pages, whose filters come in the query string ---------

GET_VIEWS = (
    ("campaign-list", "hr", lambda w: reverse("campaigns:list"), "CampaignFilterForm"),
    ("people-search", "hr", lambda w: reverse("org:people"), "HistorySearchForm"),
    ("nomination-list", "hr", lambda w: reverse("awards:nomination_list"), "NominationFilterForm"),
    (
        "registration-list",
        "focal_x1",
        lambda w: reverse("awards:registration_list"),
        "RegistrationFilterForm",
    ),
    ("exemplar-list", "hr", lambda w: reverse("awards:exemplar_list"), "ExemplarFilterForm"),
    ("award-search", "hr", lambda w: reverse("awards:index"), "HistorySearchForm"),
    (
        "unit-people-awards",
        "hr",
        lambda w: reverse("awards:unit_people_awards", args=[w.org.x.pk]),
        "UnitAwardsFilterForm",
    ),
    (
        "progress",
        "hr",
        lambda w: reverse("campaigns:progress", args=[w.campaign.pk]),
        "HistorySearchForm",
    ),
)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "user", "url", "form"), GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
def test_hostile_filters_never_get_a_500(key, user, url, form, world, db, client):
    case = next(c for c in CASES if c.form_class.__name__ == form)
    strategy = form_data(case.make(world, None), other_ids=world.other_ids())
    extra = st.fixed_dictionaries(
        {"page": hostile_text(12), "phase": st.sampled_from(HOSTILE_IDS), "sort": hostile_text(8)}
    )
    address = url(world)
    client.force_login(getattr(world, user))

    @settings(FUZZ, max_examples=HTTP_EXAMPLES)
    @given(values=strategy, more=extra)
    def run(values, more):
        params = {k: values.getlist(k) for k in values} | more
        response = client.get(address, params)
        assert response.status_code < 500, (response.status_code, params)
        if "text/html" in response.get("Content-Type", ""):
            assert "<script>alert" not in response.text

    run()


@pytest.mark.django_db
def test_a_login_name_past_the_column_is_refused_with_a_field_error(world, db):
    """Found on PostgreSQL: axes stored the 300-character name in a varchar(255): a 500."""
    case = next(c for c in CASES if c.form_class.__name__ == "LoginForm")
    form = case.make(world, to_multivalue({"username": "Ａ" * 300, "password": "mat-khau"}))
    assert not form.is_valid()
    assert "username" in form.errors


@pytest.mark.django_db
def test_the_login_page_refuses_a_long_name_without_a_500(world, db, client):
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "mat-khau"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
