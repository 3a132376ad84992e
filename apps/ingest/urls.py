from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/resume/", views.batch_resume, name="batch_resume"),
    path("<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
]
