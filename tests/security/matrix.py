"""The expectation table of the authorization matrix: every named route × every persona.

Each row names what a route's arguments point at (``obj``: the attribute of a
``matrix_world.Side`` whose pk fills ``<pk>``; the other arguments have fixed
meanings, see ``ARGUMENTS``) and, per persona, the outcome of a GET (and, for a
POST-only route, of a POST with an empty body):

- a status code (200, 400, 403, 404, 405); 302 means a redirect to a page of the
  site other than the login page;
- ``"login"``: a redirect to the login page (every route but the public ones gives
  this to an anonymous visitor).

A row is written as ``"persona persona=outcome; persona=outcome"``; every persona
of ``PERSONAS`` must appear exactly once, except ``anonymous``, who gets ``"login"``
unless the row says otherwise. The policies below are named once and shared by the
routes they govern, so a row reads as the rule it enforces.

The world: hr is HR staff of body X; focal_x1 the focal point of department X1;
leader and council hold their roles over X (council sits on X's open council
session); secretary runs bloc A, of which X is the member and the 2024 leader
(bloc A has no organising body, so X's HR staff manage its year too); focal_y,
secretary_b (and hr_y, used only from the other side) belong to body Y and bloc B.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.security.matrix_world import EXTRA_PERSONAS, PERSONAS

Outcome = int | str

# What each route argument other than <pk> names on a Side.
ARGUMENTS = {
    "area_pk": "area",
    "phase_pk": "phase",
    "unit_pk": "dept",
    "action": "action",
    "number": "amendment_number",
    "group_pk": "group",
    "member_pk": "body",
    "scorer_pk": "body",
    "code": "catalogue_code",
    "year": "year",
    "kind": "records_kind",
    "item_pk": "item",
}


def row(spec: str) -> dict[str, Outcome]:
    """``"hr admin_user=200; focal_y=404"`` → {persona: outcome}, checked complete."""
    outcomes: dict[str, Outcome] = {}
    for group in filter(None, (part.strip() for part in spec.split(";"))):
        names, _, outcome = group.rpartition("=")
        value: Outcome = int(outcome) if outcome.strip().isdigit() else outcome.strip()
        for name in names.split():
            assert name in PERSONAS, f"unknown persona {name!r} in {spec!r}"
            assert name not in outcomes, f"{name} twice in {spec!r}"
            outcomes[name] = value
    outcomes.setdefault("anonymous", "login")
    missing = set(PERSONAS) - set(outcomes)
    assert not missing, f"{spec!r} says nothing about {sorted(missing)}"
    return outcomes


@dataclass(frozen=True)
class Expect:
    get: dict[str, Outcome]
    post: dict[str, Outcome] | None = None  # POST-only routes: the outcome of an empty POST
    # Forms that more personas read than change: the outcome of an empty POST. Other
    # forms are POSTed only by those the GET refuses, who must be refused the same way.
    form_post: dict[str, Outcome] | None = None
    obj: str | None = None  # the Side attribute whose pk is <pk>
    query: dict[str, str] = field(default_factory=dict)  # GET parameters: Side attributes
    # The object belongs to no unit (the national catalogue): nobody is "the other side".
    shared: bool = False
    # Personas of matrix_world.EXTRA_PERSONAS tried on this row (X's ids): the outcome of
    # a GET (of an empty POST for a POST-only route); an empty POST to a page they are
    # refused is refused the same way.
    also: dict[str, Outcome] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.also) - set(EXTRA_PERSONAS)
        assert not unknown, f"also= names {sorted(unknown)}, not in EXTRA_PERSONAS"


# Policies ------------------------------------------------------------------------------------

LOGGED_IN = "hr focal_x1 focal_y secretary secretary_b leader council admin_user"
EVERYONE = row(f"{LOGGED_IN}=200")
# Logged in and POST-only: a GET is refused by method.
POST_ONLY_GET = row(f"{LOGGED_IN}=405")

# Pages of a role kind, scoped inside (create forms, imports): HR staff and superusers.
HR_ONLY = row("hr admin_user=200; focal_x1 focal_y secretary secretary_b leader council=403")
# Proposing (registrations, nominations): focal points and HR staff.
PROPOSERS = row("hr focal_x1 focal_y admin_user=200; secretary secretary_b leader council=403")

# X's objects: anyone with a role over X's subtree reads; others get 404.
X_READ = row("hr focal_x1 leader council admin_user=200; focal_y secretary secretary_b=404")
# ... and only HR staff of X change them (plans, people, records, rounds).
X_HR_WRITE = row(
    "hr admin_user=200; focal_x1 leader council=403; focal_y secretary secretary_b=404"
)
X_HR_WRITE_POST = row(
    "hr admin_user=302; focal_x1 leader council=403; focal_y secretary secretary_b=404"
)
X_HR_FORM_POST = row(
    "hr admin_user=200; focal_x1 leader council=403; focal_y secretary secretary_b=404"
)
# ... X1's own work (registrations, nominations, progress): its focal point and HR staff.
X1_PROPOSE = row(
    "hr focal_x1 admin_user=200; leader council=403; focal_y secretary secretary_b=404"
)
X1_PROPOSE_POST = row(
    "hr focal_x1 admin_user=302; leader council=403; focal_y secretary secretary_b=404"
)

# Bloc A's data: its secretariat and roles over its member/leader X read; X1's focal
# point (a department below the member) does not see the bloc.
BLOC_READ = row("hr secretary leader council admin_user=200; focal_x1 focal_y secretary_b=404")
# ... and its managers (secretariat, HR staff of the leader X) change it.
BLOC_MANAGE = row(
    "hr secretary admin_user=200; leader council=403; focal_x1 focal_y secretary_b=404"
)
BLOC_MANAGE_POST = row(
    "hr secretary admin_user=302; leader council=403; focal_x1 focal_y secretary_b=404"
)
BLOC_MANAGE_POST_400 = row(
    "hr secretary admin_user=400; leader council=403; focal_x1 focal_y secretary_b=404"
)

# A member's own scoring sheets: the managers and whoever holds a role over the member X.
BLOC_MEMBER_POST_400 = row(
    "hr secretary leader council admin_user=400; focal_x1 focal_y secretary_b=404"
)

# X's council session: HR staff and the leader of the body, and its members, see it.
SESSION_READ = row("hr leader council admin_user=200; focal_x1 focal_y secretary secretary_b=404")
SESSION_HR = row(
    "hr admin_user=200; leader council=403; focal_x1 focal_y secretary secretary_b=404"
)
SESSION_HR_POST = row(
    "hr admin_user=302; leader council=403; focal_x1 focal_y secretary secretary_b=404"
)
# A draft decision: HR staff and the leader of the body; council members do not see drafts.
DECISION_READ = row("hr leader admin_user=200; focal_x1 focal_y secretary secretary_b council=404")
DECISION_HR = row(
    "hr admin_user=200; leader=403; focal_x1 focal_y secretary secretary_b council=404"
)
DECISION_HR_POST = row(
    "hr admin_user=302; leader=403; focal_x1 focal_y secretary secretary_b council=404"
)

# Reports on X's campaign: readers of the campaign read; hr writes; the leader requests.
REPORT_WRITE_POST_400 = row(
    "hr admin_user=400; focal_x1 leader council=403; focal_y secretary secretary_b=404"
)
REPORT_REQUEST_POST = row(
    "hr leader admin_user=302; focal_x1 council=403; focal_y secretary secretary_b=404"
)


TABLE: dict[str, Expect] = {
    # Site -----------------------------------------------------------------------------------
    "home": Expect(EVERYONE),
    "healthz": Expect(row(f"anonymous {LOGGED_IN}=200")),
    "login": Expect(row(f"anonymous=200; {LOGGED_IN}=302")),
    "logout": Expect(row(f"anonymous {LOGGED_IN}=405"), post=row(f"anonymous {LOGGED_IN}=login")),
    "set_language": Expect(row(f"anonymous {LOGGED_IN}=302")),
    # Campaigns --------------------------------------------------------------------------------
    "campaigns:list": Expect(EVERYONE, query={"issuing_unit": "body"}),
    "campaigns:create": Expect(HR_ONLY),
    "campaigns:detail": Expect(X_READ, obj="campaign"),
    "campaigns:edit": Expect(X_HR_WRITE, obj="campaign"),
    "campaigns:phases": Expect(X_HR_WRITE, obj="campaign"),
    "campaigns:content_areas": Expect(X_HR_WRITE, obj="campaign"),
    "campaigns:targets": Expect(X_HR_WRITE, obj="campaign"),
    "campaigns:milestones": Expect(X_HR_WRITE, obj="campaign"),
    "campaigns:status": Expect(POST_ONLY_GET, post=X_HR_WRITE_POST, obj="campaign"),
    "campaigns:timeline": Expect(X_READ, obj="campaign"),
    "campaigns:history": Expect(X_READ, obj="campaign"),
    "campaigns:progress": Expect(X_READ, obj="campaign", query={"phase": "phase"}),
    # Progress is reported by focal points and HR staff for their units; X1 is not
    # among the leader's or the council member's progress units.
    "campaigns:progress_edit": Expect(
        row("hr focal_x1 admin_user=200; leader council focal_y secretary secretary_b=404"),
        obj="campaign",
    ),
    # Organisation -----------------------------------------------------------------------------
    "org:unit_tree": Expect(EVERYONE),
    "org:unit_detail": Expect(X_READ, obj="dept"),
    "org:unit_children": Expect(X_READ, obj="dept"),
    "org:people": Expect(EVERYONE, query={"q": "people_query"}),
    "org:import": Expect(HR_ONLY),
    "org:import_template": Expect(HR_ONLY),
    "org:import_confirm": Expect(
        POST_ONLY_GET,
        post=row("hr admin_user=302; focal_x1 focal_y secretary secretary_b leader council=403"),
    ),
    "org:unit_create": Expect(HR_ONLY, query={"parent": "dept"}),
    "org:unit_edit": Expect(X_HR_WRITE, obj="dept"),
    "org:person_create": Expect(HR_ONLY, query={"unit": "dept"}),
    "org:person_edit": Expect(X_HR_WRITE, obj="person"),
    # Blocs and pledges ------------------------------------------------------------------------
    "pledges:bloc_list": Expect(EVERYONE),
    "pledges:bloc_detail": Expect(BLOC_READ, obj="bloc"),
    "pledges:bloc_members_edit": Expect(BLOC_MANAGE, obj="bloc"),
    "pledges:bloc_year_create": Expect(BLOC_MANAGE, obj="bloc"),
    "pledges:bloc_year": Expect(BLOC_READ, obj="bloc_year"),
    "pledges:bloc_year_edit": Expect(BLOC_MANAGE, obj="bloc_year"),
    "pledges:pledge_create": Expect(BLOC_MANAGE, obj="bloc_year"),
    "pledges:pledge_detail": Expect(BLOC_READ, obj="pledge"),
    "pledges:pledge_edit": Expect(BLOC_MANAGE, obj="pledge"),
    "pledges:commitments_edit": Expect(BLOC_MANAGE, obj="pledge"),
    "pledges:pledge_open": Expect(POST_ONLY_GET, post=BLOC_MANAGE_POST, obj="pledge"),
    "pledges:signatures_record": Expect(BLOC_MANAGE, obj="pledge"),
    "pledges:pledge_amend": Expect(BLOC_MANAGE, obj="pledge"),
    "pledges:amendment_detail": Expect(BLOC_READ, obj="pledge"),
    "pledges:pledge_documents": Expect(BLOC_READ, obj="pledge", form_post=BLOC_MANAGE),
    "pledges:pledge_pdf": Expect(BLOC_READ, obj="pledge"),
    "pledges:document_download": Expect(BLOC_READ, obj="document"),
    # Scoring: the table is read by the bloc; managers change it; a member's sheets are
    # kept by whoever holds a role over that member (here X: hr, leader, council).
    "pledges:scoring_table": Expect(BLOC_READ, obj="scoring"),
    "pledges:scoring_table_create": Expect(POST_ONLY_GET, post=BLOC_MANAGE_POST, obj="scoring"),
    # An empty POST sends no version of the table (campaigns.versioning): refused, 400.
    "pledges:scoring_deadlines": Expect(POST_ONLY_GET, post=BLOC_MANAGE_POST_400, obj="scoring"),
    "pledges:scoring_advance": Expect(POST_ONLY_GET, post=BLOC_MANAGE_POST, obj="scoring"),
    "pledges:scoring_reopen": Expect(POST_ONLY_GET, post=BLOC_MANAGE_POST_400, obj="scoring"),
    "pledges:scoring_groups": Expect(BLOC_MANAGE, obj="scoring"),
    "pledges:scoring_criteria": Expect(BLOC_MANAGE, obj="scoring"),
    # The self-assessment is read by the bloc and kept by the managers and whoever holds a
    # role over the member (an empty sheet is refused with 400).
    "pledges:scoring_self": Expect(BLOC_READ, obj="scoring", form_post=BLOC_MEMBER_POST_400),
    "pledges:scoring_cross": Expect(BLOC_READ, obj="scoring"),
    "pledges:scoring_results": Expect(BLOC_READ, obj="scoring"),
    "pledges:scoring_final": Expect(BLOC_MANAGE, obj="scoring"),
    "pledges:scoring_acclaim": Expect(POST_ONLY_GET, post=BLOC_MANAGE_POST_400, obj="scoring"),
    "pledges:scoring_ranking_pdf": Expect(BLOC_READ, obj="scoring"),
    # No acclamation recorded yet: readers are sent back to the results.
    "pledges:scoring_minutes_pdf": Expect(
        row("hr secretary leader council admin_user=302; focal_x1 focal_y secretary_b=404"),
        obj="scoring",
    ),
    "pledges:scoring_evidence": Expect(BLOC_READ, obj="evidence"),
    # Awards: history, exemplars, catalogue ----------------------------------------------------
    "awards:index": Expect(EVERYONE),
    "awards:person_history": Expect(X_READ, obj="person"),
    "awards:unit_history": Expect(X_READ, obj="dept"),
    "awards:unit_people_awards": Expect(X_READ, obj="dept"),
    "awards:round_overview": Expect(X_READ, obj="award_round"),
    "awards:exemplar_list": Expect(EVERYONE),
    "awards:exemplar_create": Expect(HR_ONLY, query={"person": "person"}),
    "awards:exemplar_detail": Expect(X_READ, obj="exemplar"),
    "awards:exemplar_edit": Expect(X_HR_WRITE, obj="exemplar"),
    "awards:catalogue": Expect(EVERYONE),
    "awards:award_type": Expect(EVERYONE, shared=True),
    # Registrations --------------------------------------------------------------------------
    "awards:registration_list": Expect(EVERYONE, query={"unit": "dept"}),
    "awards:registration_create": Expect(PROPOSERS, query={"campaign": "campaign"}),
    "awards:registration_detail": Expect(X_READ, obj="registration"),
    "awards:registration_edit": Expect(X1_PROPOSE, obj="registration"),
    "awards:registration_submit": Expect(POST_ONLY_GET, post=X1_PROPOSE_POST, obj="registration"),
    "awards:registration_approve": Expect(POST_ONLY_GET, post=X_HR_WRITE_POST, obj="registration"),
    "awards:registration_return": Expect(X_HR_WRITE, obj="registration"),
    "awards:registration_import": Expect(X1_PROPOSE, obj="registration"),
    "awards:registration_import_confirm": Expect(
        POST_ONLY_GET, post=X1_PROPOSE_POST, obj="registration"
    ),
    "awards:registration_import_template": Expect(X1_PROPOSE, obj="registration"),
    # Records: readers of X see them; HR staff of the unit's body keep them.
    # A unit chosen from the user's scope sends to its records; another unit is no choice.
    "awards:records_home": Expect(
        row("hr focal_x1 leader council admin_user=302; focal_y secretary secretary_b=200"),
        query={"unit": "dept", "year": "year"},
    ),
    "awards:records_unit": Expect(X_READ),
    "awards:records_ratings": Expect(X_READ, form_post=X_HR_FORM_POST),
    "awards:records_discipline": Expect(X_READ, form_post=X_HR_FORM_POST),
    "awards:records_initiatives": Expect(X_READ),
    "awards:records_initiative_create": Expect(X_HR_WRITE),
    "awards:records_initiative_edit": Expect(X_HR_WRITE, obj="initiative"),
    "awards:records_import": Expect(X_HR_WRITE),
    "awards:records_import_confirm": Expect(POST_ONLY_GET, post=X_HR_WRITE_POST),
    "awards:records_import_template": Expect(X_HR_WRITE),
    "awards:past_awards_import": Expect(HR_ONLY),
    "awards:past_awards_import_confirm": Expect(
        POST_ONLY_GET,
        post=row("hr admin_user=302; focal_x1 focal_y secretary secretary_b leader council=403"),
    ),
    "awards:past_awards_import_template": Expect(HR_ONLY),
    # Rounds and nominations -----------------------------------------------------------------
    "awards:round_list": Expect(EVERYONE),
    "awards:round_create": Expect(HR_ONLY),
    "awards:round_detail": Expect(X_READ, obj="award_round"),
    "awards:round_update": Expect(X_HR_WRITE, obj="award_round"),
    "awards:round_set_open": Expect(POST_ONLY_GET, post=X_HR_WRITE_POST, obj="award_round"),
    "awards:round_check": Expect(POST_ONLY_GET, post=X_HR_WRITE_POST, obj="award_round"),
    "awards:nomination_create": Expect(
        X1_PROPOSE, obj="award_round", query={"proposing_unit": "dept"}
    ),
    "awards:nomination_list": Expect(EVERYONE, query={"round": "award_round"}),
    # htmx partials: the options below a unit the user proposes for; else 404.
    "awards:nomination_nominees": Expect(
        row("hr focal_x1 admin_user=200; leader council focal_y secretary secretary_b=404"),
        query={"proposing_unit": "dept"},
    ),
    "awards:nomination_eligibility": Expect(
        X_READ, query={"round": "award_round", "award_type": "award_type", "person": "person"}
    ),
    "awards:nomination_detail": Expect(X_READ, obj="nomination"),
    "awards:nomination_update": Expect(X1_PROPOSE, obj="nomination"),
    "awards:dossier_upload": Expect(
        POST_ONLY_GET,
        post=row(
            "hr focal_x1 admin_user=400; leader council=403; focal_y secretary secretary_b=404"
        ),
        obj="nomination",
    ),
    "awards:nomination_submit": Expect(POST_ONLY_GET, post=X1_PROPOSE_POST, obj="nomination"),
    "awards:nomination_resubmit": Expect(POST_ONLY_GET, post=X1_PROPOSE_POST, obj="nomination"),
    "awards:nomination_return": Expect(
        POST_ONLY_GET,
        post=row(
            "hr admin_user=400; focal_x1 leader council=403; focal_y secretary secretary_b=404"
        ),
        obj="nomination",
    ),
    "awards:nomination_accept": Expect(POST_ONLY_GET, post=X_HR_WRITE_POST, obj="nomination"),
    "awards:nomination_check": Expect(POST_ONLY_GET, post=X1_PROPOSE_POST, obj="nomination"),
    "awards:dossier_download": Expect(X_READ, obj="dossier"),
    # Council ----------------------------------------------------------------------------------
    "awards:council_session_list": Expect(EVERYONE),
    "awards:council_session_create": Expect(HR_ONLY, query={"body": "body"}),
    "awards:council_session_detail": Expect(SESSION_READ, obj="session"),
    "awards:council_session_edit": Expect(SESSION_HR, obj="session"),
    "awards:council_agenda_add": Expect(SESSION_HR, obj="session"),
    "awards:council_session_close": Expect(POST_ONLY_GET, post=SESSION_HR_POST, obj="session"),
    "awards:council_minutes_pdf": Expect(SESSION_READ, obj="session"),
    "awards:council_agenda_remove": Expect(POST_ONLY_GET, post=SESSION_HR_POST),
    # Only the session's members vote (an empty ballot is refused with 400), not even HR
    # staff or a superuser.
    "awards:council_vote": Expect(
        POST_ONLY_GET,
        post=row(
            "council=400; hr leader admin_user=403; focal_x1 focal_y secretary secretary_b=404"
        ),
    ),
    # Decisions --------------------------------------------------------------------------------
    "awards:decision_list": Expect(EVERYONE),
    "awards:decision_create": Expect(HR_ONLY, query={"body": "body"}),
    "awards:decision_detail": Expect(DECISION_READ, obj="decision"),
    "awards:decision_edit": Expect(DECISION_HR, obj="decision"),
    "awards:decision_issue": Expect(POST_ONLY_GET, post=DECISION_HR_POST, obj="decision"),
    # An award record is changed by HR staff of the body that issued it (X), not by a
    # department's HR staff (who see it: their person's award) nor by another body's.
    "awards:award_revoke": Expect(X_HR_WRITE, obj="award_record", also={"hr_x1": 403, "hr_y": 404}),
    # Reports ----------------------------------------------------------------------------------
    "reports:index": Expect(EVERYONE),
    "reports:draft_create": Expect(HR_ONLY, query={"campaign": "campaign"}),
    # htmx partial: the phases of the campaigns the user plans (none for most).
    "reports:draft_phases": Expect(EVERYONE, query={"campaign": "campaign"}),
    "reports:draft_detail": Expect(X_READ, obj="draft", form_post=REPORT_WRITE_POST_400),
    "reports:draft_autosave": Expect(POST_ONLY_GET, post=REPORT_WRITE_POST_400, obj="draft"),
    "reports:draft_figures": Expect(X_READ, obj="draft"),
    "reports:version_request": Expect(POST_ONLY_GET, post=REPORT_REQUEST_POST, obj="draft"),
    "reports:version_status": Expect(X_READ, obj="version"),
    "reports:version_progress": Expect(X_READ, obj="version"),
    "reports:version_retry": Expect(POST_ONLY_GET, post=REPORT_REQUEST_POST, obj="version"),
    "reports:version_pdf": Expect(X_READ, obj="version"),
    "reports:version_docx": Expect(X_READ, obj="version"),
    "reports:bloc_year_draft_create": Expect(BLOC_MANAGE, obj="bloc_year"),
    "reports:award_statistics_draft_create": Expect(HR_ONLY),
    "reports:due": Expect(EVERYONE),
}
