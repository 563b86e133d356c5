"""Every URL the load test requests: the Django URL name and the path it reverses to.

The locustfile builds its URLs from ``path()`` here, without importing Django (the
load generator stays out of the app's process); ``tests/test_locustfile.py``
reverses every name with ``django.urls.reverse`` and checks that it gives the same
path, so a renamed or moved route fails the suite instead of the next load run.
Each entry: URL name → path template with ``{}`` for each positional argument.
"""

from __future__ import annotations

ROUTES: dict[str, str] = {
    "login": "/accounts/login/",
    "home": "/",
    "healthz": "/healthz",
    # focal points: nominations
    "awards:nomination_list": "/awards/nominations/",
    "awards:nomination_create": "/awards/rounds/{}/nominations/new/",
    "awards:nomination_detail": "/awards/nominations/{}/",
    "awards:dossier_upload": "/awards/nominations/{}/files/",
    "awards:nomination_submit": "/awards/nominations/{}/submit/",
    # focal points: registrations
    "awards:registration_list": "/awards/registrations/",
    "awards:registration_create": "/awards/registrations/new/",
    "awards:registration_detail": "/awards/registrations/{}/",
    "awards:registration_edit": "/awards/registrations/{}/edit/",
    "awards:registration_submit": "/awards/registrations/{}/submit/",
    # secretariats
    "pledges:bloc_detail": "/blocs/{}/",
    "pledges:scoring_table": "/blocs/scoring/{}/",
    "pledges:scoring_self": "/blocs/scoring/{}/self/{}/",
    "pledges:scoring_cross": "/blocs/scoring/{}/cross/{}/",
    "pledges:scoring_results": "/blocs/scoring/{}/results/",
    # leaders
    "campaigns:list": "/campaigns/",
    "campaigns:detail": "/campaigns/{}/",
    "campaigns:progress": "/campaigns/{}/progress/",
    "reports:index": "/reports/",
    "reports:draft_detail": "/reports/drafts/{}/",
    "reports:version_request": "/reports/drafts/{}/generate/",
    "reports:version_status": "/reports/versions/{}/",
    "reports:version_progress": "/reports/versions/{}/progress/",
    "reports:version_pdf": "/reports/versions/{}/pdf/",
    # HR staff
    "org:unit_tree": "/org/units/",
    "org:unit_detail": "/org/units/{}/",
    "org:people": "/org/people/",
    "awards:round_list": "/awards/rounds/",
    "awards:round_detail": "/awards/rounds/{}/",
    "pledges:bloc_list": "/blocs/",
}


def path(name: str, *args: int) -> str:
    """The path of URL ``name`` with ``args``, as ``reverse(name, args=args)`` gives it."""
    template = ROUTES[name]
    if template.count("{}") != len(args):
        raise ValueError(f"{name} takes {template.count('{}')} arguments, got {len(args)}")
    return template.format(*args)
