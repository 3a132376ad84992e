from django.contrib import admin

from .models import Assignment, AssignmentEvent


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
