from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from apps.accounts.views import admin_login, home

urlpatterns = [
    path("", home, name="home"),  # analysts land on My queue
    path("accounts/", include("apps.accounts.urls")),
    path("articles/", include("apps.reading.urls")),
    path("imports/", include("apps.ingest.urls")),
    path("quotes/", include("apps.quotes.urls")),
    path("annotate/", include("apps.annotations.urls")),
    path("codebook/", include("apps.annotations.codebook_urls")),
    path("review/", include("apps.review.urls")),
    path("exports/", include("apps.exports.urls")),
    path("insights/", include("apps.insights.urls")),
    path("suggestions/", include("apps.suggestions.urls")),
    path("admin/login/", admin_login),  # the admin's own login, throttled like ours
    path("admin/", admin.site.urls),
    # the admin's pages have no <link rel=icon>: browsers ask for /favicon.ico
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=False)),
]
