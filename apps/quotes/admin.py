from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Quote, Speaker, SpeakerAlias


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 0
    fields = ["alias"]


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "role"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__alias"]
    inlines = [SpeakerAliasInline]


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    list_display = ["text", "speaker", "kind", "cue", "confidence", "confirmed"]
    list_filter = ["kind", "confirmed"]
    raw_id_fields = ["article", "speaker"]
    search_fields = ["text"]
