from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreement/", views.agreement_panel, name="agreement"),
    path("assign/", views.assign, name="assign"),
    path("queue/", views.my_queue, name="queue"),
    path("next/", views.queue_next, name="next"),
    path("pull/", views.pool_pull, name="pull"),
    path("assignments/<int:pk>/submit/", views.assignment_submit, name="submit"),
    path("assignments/<int:pk>/decide/", views.assignment_decide, name="assignment_decide"),
    path("articles/<int:article_id>/", views.article_review, name="article"),
    path("articles/<int:article_id>/feedback/", views.article_feedback, name="feedback"),
    path("articles/<int:article_id>/comments/", views.comment_create, name="comment_create"),
    path("articles/<int:article_id>/gold/", views.gold_decide, name="gold_decide"),
    path("spans/<int:annotation_id>/decide/", views.span_decide, name="span_decide"),
]
