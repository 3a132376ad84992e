from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.roles import supervisor_required

from .forms import ReadOptionsForm, UploadForm
from .models import ImportBatch
from .services import (
    batch_can_resume,
    batch_create_from_uploads,
    batch_discard,
    batch_is_stale,
    batch_preview_again,
    batch_start,
    import_preview,
)
from .tasks import run_import_batch


@require_http_methods(["GET", "POST"])
@supervisor_required
def upload(request):
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            batch = batch_create_from_uploads(
                user=request.user,
                uploads=form.cleaned_data["files"],
                fmt=form.cleaned_data["fmt"],
                default_outlet=form.cleaned_data["default_outlet"],
                options=form.read_options(),
            )
            if request.POST.get("action") == "preview":
                import_preview(batch=batch)  # reading only: no spaCy, nothing written but the batch
            else:
                transaction.on_commit(lambda: run_import_batch.enqueue(batch.pk))
            return redirect("ingest:batch_detail", pk=batch.pk)
    else:
        form = UploadForm()
    batches = ImportBatch.objects.select_related("created_by")[:20]
    return render(request, "ingest/upload.html", {"form": form, "batches": batches})


@require_GET
@supervisor_required
def batch_detail(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    template = "ingest/batch_detail.html"
    if request.htmx:
        template += "#progress"
    context = {"batch": batch, "stale": batch_is_stale(batch), "can_resume": batch_can_resume(batch)}
    if batch.status == ImportBatch.Status.PREVIEW:
        context["form"] = ReadOptionsForm(initial=batch.options)
    return render(request, template, context)


@require_POST
@supervisor_required
def batch_resume(request, pk: int):
    """Run a batch again that stopped before its end; only articles not in the corpus yet are written."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch_can_resume(batch):
        transaction.on_commit(lambda: run_import_batch.enqueue(batch.pk, resume=True))
        messages.success(request, "The import goes on where it stopped.")
    else:
        messages.error(request, "This import is running or finished: there is nothing to resume.")
    return redirect("ingest:batch_detail", pk=batch.pk)


@require_POST
@supervisor_required
def batch_confirm(request, pk: int):
    """Start a previewed import, discard it (``action=discard``) or read it again with other options
    (``action=reread``)."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        if request.POST.get("action") == "reread":
            form = ReadOptionsForm(request.POST)
            if not form.is_valid():
                raise ValidationError(" ".join(m for errors in form.errors.values() for m in errors))
            batch_preview_again(batch=batch, options=form.read_options())
            return redirect("ingest:batch_detail", pk=pk)
        if request.POST.get("action") == "discard":
            batch_discard(batch=batch)
            messages.success(request, "The preview was discarded; nothing was imported.")
            return redirect("ingest:upload")
        batch = batch_start(batch=batch)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("ingest:batch_detail", pk=pk)
    transaction.on_commit(lambda: run_import_batch.enqueue(batch.pk))
    return redirect("ingest:batch_detail", pk=batch.pk)
