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

import pytest
from django import forms
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from campaigns.errors import DomainError

from .fuzz_cases import CASES, COVERED
from .fuzz_strategies import form_data, near_valid_data, nul_free, to_multivalue
from .fuzz_world import build_world_from_scratch

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


def discovered_forms() -> set[type[forms.BaseForm]]:
    """Form classes defined in any module of the apps (migrations and commands aside)."""
    found: set[type[forms.BaseForm]] = set()
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(obj, forms.BaseForm)
                    and obj.__module__ == module.__name__
                    and not obj.__name__.startswith("_")
                    and not obj.__name__.startswith("Base")
                    and not obj.__name__.endswith("Mixin")
                ):
                    found.add(obj)
    return found


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
