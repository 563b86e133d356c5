"""Routes of the awards app's council and decision pages, included by awards/urls.py."""

from django.urls import path

from . import council_views, decision_views

urlpatterns: list = [
    # Council sessions
    path("council/", council_views.session_list, name="council_session_list"),
    path("council/new/", council_views.session_create, name="council_session_create"),
    path("council/<int:pk>/", council_views.session_detail, name="council_session_detail"),
    path("council/<int:pk>/edit/", council_views.session_edit, name="council_session_edit"),
    path("council/<int:pk>/agenda/", council_views.agenda_add, name="council_agenda_add"),
    path("council/<int:pk>/close/", council_views.session_close, name="council_session_close"),
    path("council/<int:pk>/minutes.pdf", council_views.minutes_pdf, name="council_minutes_pdf"),
    path(
        "council/items/<int:item_pk>/remove/",
        council_views.agenda_remove,
        name="council_agenda_remove",
    ),
    path("council/items/<int:item_pk>/vote/", council_views.vote, name="council_vote"),
    # Decisions and revocations
    path("decisions/", decision_views.decision_list, name="decision_list"),
    path("decisions/new/", decision_views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", decision_views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/edit/", decision_views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/issue/", decision_views.decision_issue, name="decision_issue"),
    path("decisions/records/<int:pk>/revoke/", decision_views.award_revoke, name="award_revoke"),
]
