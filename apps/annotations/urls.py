from django.urls import path

from . import views

app_name = "annotations"
urlpatterns = [
    path("", views.workspace_start, name="start"),
    path("<int:article_id>/", views.workspace, name="workspace"),
    path("<int:article_id>/text/", views.workspace_text, name="workspace_text"),
    path("<int:article_id>/spans/", views.span_create, name="span_create"),
    path("<int:article_id>/spans/bulk/", views.span_bulk_create, name="span_bulk_create"),
    path("<int:article_id>/spans/list/", views.span_list, name="span_list"),
    path("<int:article_id>/progress/", views.workspace_progress, name="progress"),
    path("<int:article_id>/entities/", views.entity_panel, name="entity_panel"),
    path("<int:article_id>/submit/", views.assignment_submit, name="submit"),
    path("span/<int:pk>/", views.span_detail, name="span"),
    path("span/<int:pk>/delete/", views.span_delete, name="span_delete"),
    path("span/<int:pk>/restore/", views.span_restore, name="span_restore"),
    path("entity/<int:pk>/decide/", views.entity_decide, name="entity_decide"),
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/<int:pk>/", views.theme_edit, name="theme_edit"),
    path("themes/<int:pk>/move/", views.theme_move, name="theme_move"),
    path("themes/<int:pk>/active/", views.theme_set_active, name="theme_set_active"),
    path("<int:article_id>/entities/surface/", views.entity_decide_surface, name="entity_decide_surface"),
    path("<int:article_id>/decisions/", views.analyst_decisions, name="analyst_decisions"),
]
