"""The admin site in the route × role matrix: what each persona gets on every admin URL.

The walk (tests/security/test_admin_matrix.py) finds every URL pattern under
``/admin/`` (a model's changelist, add, change, delete, history, old-version and
legacy-redirect pages, the user password page, the site's own pages, the app indexes,
autocomplete, the catch-all) and requests each with the objects of ``OBJECTS``.

Personas: the matrix world's (tests/security/matrix_world.py: eight without staff
status, and ``admin_user``, a superuser), and three staff accounts added for the admin
(``build_admin_world``), each holding *every* model permission, so that only the
scoping stands between them and the data:

- ``body_admin``: X's administrator (ADMINISTRATOR for body X);
- ``body_admin_y``: Y's administrator;
- ``staff_plain``: staff of X without an ADMINISTRATOR grant (HR staff of X).

What they get follows from three policies, one per ModelAdmin class
(campaigns/admin_scope.py), written out in ``expected()`` below:

- ``SCOPED``: an administrator reaches the rows of their own body: 200 on X's objects
  for X's administrator; 404 on Y's (and on the superuser's account, and on a central
  bloc that no body organises); staff without the grant: 403 on the model's pages, 404
  on a row's history.
- ``REFERENCE`` (the catalogue): the model permissions decide, as Django does.
- ``SUPERUSER``: 403 for every staff account but a superuser's.

Anyone without staff status is sent to the admin's login page, whatever the URL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Permission, User
from django.db import models

from awards.models import AwardType, DisciplineRecord, Rule, RuleSet, TaskRating
from campaigns.demo import administrators_group
from campaigns.models import Role, RoleAssignment, Target
from pledges.models import Bloc, BlocLevel, BlocMembership, BlocYear, Pledge, PledgeStatus
from tests.security.matrix_world import MARKER, PERSONAS, World

Outcome = int | str

SCOPED, REFERENCE, SUPERUSER = "scoped", "reference", "superuser"

# Staff personas and the side whose body they administer (None: no grant).
STAFF_HOME: dict[str, str | None] = {
    "admin_user": None,  # a superuser: everything
    "body_admin": "x",
    "body_admin_y": "y",
    "staff_plain": None,
}
NON_STAFF = tuple(p for p in PERSONAS if p not in STAFF_HOME)
ADMIN_PERSONAS = (*NON_STAFF, *STAFF_HOME)


@dataclass(frozen=True)
class AdminModel:
    policy: str
    add: bool  # the admin offers an add page (to a superuser)
    delete: bool  # ... and deletes
    sides: tuple[str, ...]  # the objects tried: "x", "y", "superuser", "central", "shared"


# Every registered model (a model registered without a row, or a row without a model,
# fails the walk).
MODELS: dict[str, AdminModel] = {
    "auth.user": AdminModel(SCOPED, add=True, delete=True, sides=("x", "y", "superuser")),
    "auth.group": AdminModel(SUPERUSER, add=True, delete=True, sides=("shared",)),
    "axes.accessattempt": AdminModel(SUPERUSER, add=False, delete=True, sides=("shared",)),
    "axes.accesslog": AdminModel(SUPERUSER, add=False, delete=True, sides=("shared",)),
    "axes.accessfailurelog": AdminModel(SUPERUSER, add=False, delete=True, sides=("shared",)),
    "campaigns.unit": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y")),
    "campaigns.person": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y")),
    "campaigns.roleassignment": AdminModel(SCOPED, add=True, delete=True, sides=("x", "y")),
    "campaigns.campaign": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y")),
    "campaigns.target": AdminModel(SCOPED, add=True, delete=True, sides=("x", "y")),
    "pledges.bloc": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y", "central")),
    "pledges.blocyear": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y", "central")),
    "pledges.pledge": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y", "central")),
    "awards.awardtype": AdminModel(REFERENCE, add=True, delete=False, sides=("shared",)),
    "awards.ruleset": AdminModel(REFERENCE, add=True, delete=False, sides=("shared",)),
    "awards.rule": AdminModel(REFERENCE, add=True, delete=False, sides=("shared",)),
    "awards.exemplar": AdminModel(SCOPED, add=True, delete=True, sides=("x", "y")),
    "awards.taskrating": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y")),
    "awards.disciplinerecord": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y")),
    "awards.initiative": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y")),
    "awards.registration": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y")),
    "awards.awardround": AdminModel(SCOPED, add=True, delete=False, sides=("x", "y")),
    "awards.nomination": AdminModel(SCOPED, add=False, delete=False, sides=("x", "y")),
    "awards.councilsession": AdminModel(SCOPED, add=False, delete=False, sides=("x", "y")),
    "awards.awarddecision": AdminModel(SCOPED, add=False, delete=False, sides=("x", "y")),
}

# A model's pages: the name suffix of the route (or "redirect", the unnamed legacy
# ``<pk>/`` pattern) and whether it takes an object.
MODEL_VIEWS = {
    "changelist": False,
    "add": False,
    "change": True,
    "history": True,
    "delete": True,
    "simple_history": True,  # an old version: /<pk>/history/<version>/
    "password_change": True,  # the user's password form
    "redirect": True,  # /<pk>/ → /<pk>/change/
}
OBJECT_VIEWS = frozenset(v for v, takes_object in MODEL_VIEWS.items() if takes_object)


def _staff_reach(persona: str, spec: AdminModel) -> bool:
    """May the persona use the model's pages at all (model permissions and policy)?"""
    if persona == "admin_user" or spec.policy == REFERENCE:
        return True
    if spec.policy == SUPERUSER:
        return False
    return STAFF_HOME[persona] is not None  # scoped: an administrator of some body


def expected(persona: str, spec: AdminModel, view: str, side: str) -> Outcome:
    """The outcome of a GET of ``view`` on the object of ``side`` by ``persona``."""
    if persona not in STAFF_HOME:
        return "admin_login"
    if view == "redirect":
        return 302  # to the change page, which answers for the row
    reach = _staff_reach(persona, spec)
    mine = (
        persona == "admin_user"
        or spec.policy != SCOPED
        or (side == STAFF_HOME[persona] and side in ("x", "y"))
    )
    if view == "changelist":
        return 200 if reach else 403
    if view == "add":
        return 200 if reach and spec.add else 403
    if view in ("history", "simple_history") and spec.policy == SCOPED and not mine:
        return 404  # the row is looked up in the user's rows first
    if not reach:
        return 403
    if view == "delete" and not spec.delete:
        return 403
    return 200 if mine else 404


# Site pages: the outcome of a GET for a persona without staff status, for staff.
SITE_VIEWS: dict[str, tuple[Outcome, Outcome]] = {
    "index": ("admin_login", 200),
    "login": (200, 302),  # staff are sent on to the index
    "logout": (302, 405),  # POST only; the non-staff are sent to the index, then the login
    "password_change": ("admin_login", 200),
    "password_change_done": ("admin_login", 200),
    "jsi18n": ("admin_login", 200),
    "autocomplete": ("admin_login", 403),  # without its parameters
    "view_on_site": ("admin_login", 404),  # no model has a public URL
    "catch_all": ("admin_login", 404),
}

# App indexes: staff personas who see the app listed (the others get 404).
APP_INDEX: dict[str, frozenset[str]] = {
    "auth": frozenset({"admin_user", "body_admin", "body_admin_y"}),
    "axes": frozenset({"admin_user"}),
    "campaigns": frozenset({"admin_user", "body_admin", "body_admin_y"}),
    "pledges": frozenset({"admin_user", "body_admin", "body_admin_y"}),
    "awards": frozenset(STAFF_HOME),  # the catalogue: by permission
}


def foreign_markers(persona: str) -> list[str]:
    """The markers a persona's admin responses must not contain."""
    if persona == "admin_user":
        return []
    home = STAFF_HOME.get(persona)
    return [marker for tag, marker in MARKER.items() if tag != home]


# The world: the matrix world plus the admin's accounts and objects ---------------------------


@dataclass
class AdminWorld:
    world: World
    users: dict[str, User]
    objects: dict[tuple[str, str], models.Model]  # (model label, side) → object


def _staff(username: str, role: str, unit) -> User:
    user = User.objects.create_user(username, password="mat-khau-thu-nghiem", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


def _organised_bloc(side) -> tuple[Bloc, BlocYear, Pledge]:
    """A bloc the side's body organises, with a year and a pledge, marked."""
    bloc = Bloc.objects.create(
        name=f"Khối nội bộ {side.marker}", level=BlocLevel.CENTRAL, organiser=side.body
    )
    BlocMembership.objects.create(bloc=bloc, unit=side.dept, joined_on=datetime.date(2020, 1, 1))
    year = BlocYear.objects.create(bloc=bloc, year=2025, leader=side.dept)
    pledge = Pledge.objects.create(
        bloc_year=year,
        title=f"Giao ước nội bộ {side.marker}",
        ceremony_date=datetime.date(2025, 3, 1),
        place="Hà Nội",
        status=PledgeStatus.OPEN,
    )
    return bloc, year, pledge


def build_admin_world(world: World) -> AdminWorld:
    users = {
        "body_admin": _staff("quantri.x", Role.ADMINISTRATOR, world.x.body),
        "body_admin_y": _staff("quantri.y", Role.ADMINISTRATOR, world.y.body),
        "staff_plain": _staff("nhanvien.x", Role.HR_STAFF, world.x.body),
    }
    objects: dict[tuple[str, str], models.Model] = {}
    for side in (world.x, world.y):
        tag = side.tag
        focal = world.users["focal_x1" if tag == "x" else "focal_y"]
        bloc, year, pledge = _organised_bloc(side)
        objects |= {
            ("auth.user", tag): focal,
            ("campaigns.unit", tag): side.dept,
            ("campaigns.person", tag): side.person,
            ("campaigns.roleassignment", tag): RoleAssignment.objects.get(user=focal),
            ("campaigns.campaign", tag): side.campaign,
            ("campaigns.target", tag): Target.objects.get(content_area=side.area),
            ("pledges.bloc", tag): bloc,
            ("pledges.blocyear", tag): year,
            ("pledges.pledge", tag): pledge,
            ("awards.exemplar", tag): side.exemplar,
            ("awards.taskrating", tag): TaskRating.objects.get(person=side.person),
            ("awards.disciplinerecord", tag): DisciplineRecord.objects.get(person=side.person),
            ("awards.initiative", tag): side.initiative,
            ("awards.registration", tag): side.registration,
            ("awards.awardround", tag): side.award_round,
            ("awards.nomination", tag): side.nomination,
            ("awards.councilsession", tag): side.session,
            ("awards.awarddecision", tag): side.decision,
        }
    award_type = AwardType.objects.get(code=world.x.catalogue_code)
    rule = Rule.objects.select_related("rule_set").first()
    rule_set = RuleSet.objects.filter(award_type=award_type).first() or rule.rule_set
    for reference in (award_type, rule_set, rule):
        reference.save()  # the seeded catalogue has no version yet: its old-version page needs one
    access = {"user_agent": "probe", "ip_address": "10.0.0.9", "username": "hr"}
    access |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
    objects |= {
        ("auth.user", "superuser"): world.users["admin_user"],
        ("auth.group", "shared"): administrators_group(),
        ("axes.accessattempt", "shared"): AccessAttempt.objects.create(
            get_data="", post_data="", failures_since_start=1, **access
        ),
        ("axes.accesslog", "shared"): AccessLog.objects.create(**access),
        ("axes.accessfailurelog", "shared"): AccessFailureLog.objects.create(**access),
        ("awards.awardtype", "shared"): award_type,
        ("awards.ruleset", "shared"): rule_set,
        ("awards.rule", "shared"): rule,
        # Bloc A: no organising body (a central bloc): nobody's subtree.
        ("pledges.bloc", "central"): world.x.bloc,
        ("pledges.blocyear", "central"): world.x.bloc_year,
        ("pledges.pledge", "central"): world.x.pledge,
    }
    missing = [key for key, obj in objects.items() if obj is None]
    assert not missing, missing
    return AdminWorld(world=world, users=users, objects=objects)
