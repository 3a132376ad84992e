from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "created_by", "created", "skipped", "failed", "created_at"]
    readonly_fields = ["results", "error", "files"]
    exclude = ["articles"]
