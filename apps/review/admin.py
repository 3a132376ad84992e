from django.contrib import admin

from .models import ArticleComment, ReviewDecision


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ["annotation", "decision", "reviewer", "created_at"]
    list_filter = ["decision"]
    raw_id_fields = ["annotation", "article", "replacement"]
    readonly_fields = ["before", "after", "created_at"]


@admin.register(ArticleComment)
class ArticleCommentAdmin(admin.ModelAdmin):
    list_display = ["article", "author", "created_at"]
    raw_id_fields = ["article", "assignment"]
