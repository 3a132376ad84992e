from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Annotation, EntityMention, Theme


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "shortcut", "colour", "order", "active", "parent"]
    list_editable = ["order", "active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Annotation)
class AnnotationAdmin(SimpleHistoryAdmin):
    list_display = ["text", "article", "annotator", "status", "updated_at"]
    list_filter = ["status", "themes"]
    raw_id_fields = ["article"]


@admin.register(EntityMention)
class EntityMentionAdmin(admin.ModelAdmin):
    list_display = ["text", "label", "article", "status"]
    list_filter = ["label", "status"]
    raw_id_fields = ["article"]
