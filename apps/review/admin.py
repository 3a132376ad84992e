from django.contrib import admin

from .models import ArticleComment, Assignment, AssignmentEvent, ReviewDecision


class AssignmentEventInline(admin.TabularInline):
    model = AssignmentEvent
    extra = 0
    readonly_fields = ["actor", "from_state", "to_state", "comment", "created_at"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["article", "analyst", "state", "due_date", "updated_at"]
    list_filter = ["state"]
    raw_id_fields = ["article"]
    inlines = [AssignmentEventInline]


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
