from django.contrib import admin

from .models import Article, Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published", "n_words"]
    list_filter = ["outlet"]
    search_fields = ["title", "byline"]
    readonly_fields = ["content_hash", "text", "created_at"]
    date_hierarchy = "published"
