from django.conf import settings
from django.db import models


class ImportCounts(models.Model):
    """Articles processed, created, skipped and failed: a batch's and each of its chunks'."""

    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ImportBatch(ImportCounts):
    """One import run: files in, articles out, with progress and a result per file."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Preview: nothing imported yet"
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    fmt = models.CharField(max_length=10, default="auto")
    default_outlet = models.CharField(max_length=200, blank=True)
    # How files are read: {"split": "auto", "period_headlines": false, "outlet_pattern": "", "encoding": "auto"}
    # (the fields of readers.ReadOptions); the upload page and ``import_articles`` set the same keys.
    options = models.JSONField(default=dict, blank=True)
    # [{"name": "a.txt", "path": "imports/3/a.txt"}]; files live in MEDIA_ROOT until the batch has run.
    files = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(default=0)  # articles found
    # [{"name": ..., "encoding": "cp1252", "created": n, "skipped": n, "errors": [...], "warnings": [...]}]
    results = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    articles = models.ManyToManyField("corpus.Article", related_name="import_batches", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # the worker running the batch touches this as it goes; a running batch without a recent beat is stale
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Import #{self.pk} ({self.status})"

    @property
    def read_options(self):
        from .readers import ReadOptions  # readers know no models; the batch only stores their options

        known = set(ReadOptions.__dataclass_fields__)
        return ReadOptions(**{k: v for k, v in (self.options or {}).items() if k in known})

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class ImportChunk(ImportCounts):
    """A slice of a large batch's articles that one worker parses and writes (``IMPORT_CHUNK_SIZE`` articles).

    The batch's files are read once; the articles left to write are stored here so that any worker can take a
    chunk (a row lock hands each pending chunk to one worker). A chunk's counters are its own; the batch's are
    what it read plus the sum over its chunks. A chunk whose worker stopped beating is taken again; a chunk that
    runs again writes only what is not in the corpus yet."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    batch = models.ForeignKey(ImportBatch, related_name="chunks", on_delete=models.CASCADE)
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # [{"file": index in batch.results, "text": ..., "digest": ..., "raw": {title, outlet, ..., source_line}}];
    # emptied once the batch is done
    items = models.JSONField(default=list, blank=True)
    size = models.PositiveIntegerField(default=0)
    # {"<file index>": {"created": n, "skipped": n, "failed": n, "errors": [...]}}, merged into batch.results at the end
    results = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    owner = models.CharField(max_length=100, blank=True)  # "host:pid" of the process running it
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # of the process that ran it, when it last saved this chunk (ops figures; a process may run several chunks)
    peak_rss_mb = models.PositiveIntegerField(null=True, blank=True)
    cpu_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["batch_id", "number"]  # not "batch": that joins the batch (and would lock it with the chunk)
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="ingest_chunk_unique_number")]

    def __str__(self):
        return f"Import #{self.batch_id} chunk {self.number} ({self.status})"
