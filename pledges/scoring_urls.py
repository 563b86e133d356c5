"""Routes of the pledges app's scoring pages, included by pledges/urls.py.

``pk`` is always the BlocYear's; the bloc-year page links to ``pledges:scoring_table``.
"""

from django.urls import path

from . import scoring_views as views

urlpatterns: list = [
    path("scoring/<int:pk>/", views.scoring_table, name="scoring_table"),
    path("scoring/<int:pk>/create/", views.scoring_table_create, name="scoring_table_create"),
    path("scoring/<int:pk>/deadlines/", views.scoring_deadlines, name="scoring_deadlines"),
    path("scoring/<int:pk>/advance/", views.scoring_advance, name="scoring_advance"),
    path("scoring/<int:pk>/reopen/", views.scoring_reopen, name="scoring_reopen"),
    path("scoring/<int:pk>/groups/", views.scoring_groups, name="scoring_groups"),
    path(
        "scoring/<int:pk>/groups/<int:group_pk>/criteria/",
        views.scoring_criteria,
        name="scoring_criteria",
    ),
    path("scoring/<int:pk>/self/<int:member_pk>/", views.scoring_self, name="scoring_self"),
    path("scoring/<int:pk>/cross/<int:scorer_pk>/", views.scoring_cross, name="scoring_cross"),
    path("scoring/<int:pk>/results/", views.scoring_results, name="scoring_results"),
    path("scoring/<int:pk>/final/<int:member_pk>/", views.scoring_final, name="scoring_final"),
    path("scoring/<int:pk>/acclaim/", views.scoring_acclaim, name="scoring_acclaim"),
    path("scoring/<int:pk>/ranking.pdf", views.scoring_ranking_pdf, name="scoring_ranking_pdf"),
    path("scoring/<int:pk>/minutes.pdf", views.scoring_minutes_pdf, name="scoring_minutes_pdf"),
    path("scoring/evidence/<int:pk>/", views.scoring_evidence, name="scoring_evidence"),
]
