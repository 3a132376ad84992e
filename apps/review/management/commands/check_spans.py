"""``check_spans``: every stored span still names its passage. It lives in review, the lowest app that sees every
kind of span (the analysts' spans, entities, quotes and the adjudicated gold spans)."""

from django.core.management import BaseCommand, CommandError

from apps.annotations.models import Annotation, EntityMention
from apps.quotes.models import Quote
from apps.review.models import GoldSpan

MODELS = (Annotation, EntityMention, Quote, GoldSpan)


class Command(BaseCommand):
    help = "Verify article.text[start:end] == span.text for every span of every kind (spans, entities, quotes, gold)."

    def handle(self, *args, **options):
        bad = 0
        checked = 0
        for model in MODELS:
            manager = getattr(model, "all_objects", model.objects)  # private quotes too
            spans = (
                manager.select_related("article")
                .only("id", "start", "end", "text", "article__text")
                .order_by("article_id", "start")
                .iterator(chunk_size=2000)
            )
            for span in spans:
                checked += 1
                if span.article.text[span.start : span.end] != span.text:
                    bad += 1
                    self.stderr.write(
                        f"{model.__name__} {span.pk} (article {span.article_id}) [{span.start}, {span.end}): "
                        f"stored {span.text[:40]!r} but the text has {span.article.text[span.start : span.end][:40]!r}"
                    )
        if bad:
            raise CommandError(f"{bad} of {checked} spans do not match their article text.")
        self.stdout.write(self.style.SUCCESS(f"All {checked} spans match their article text."))
