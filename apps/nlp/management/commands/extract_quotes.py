"""``manage.py extract_quotes FILE [--json]``: quotes and speakers of one plain-text article (no database)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Extract quotes and speakers from one UTF-8 plain-text article. Offsets are code points into the file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a UTF-8 plain-text file")
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            # newline="": no newline translation, so offsets index the file's text exactly as stored
            with path.open(encoding="utf-8", newline="") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc

        from apps.nlp.pipeline import get_nlp
        from apps.nlp.quotes import extract_quotes

        quotes, speakers = extract_quotes(get_nlp()(text))
        if options["json"]:
            payload = {
                "quotes": [
                    {
                        "text": q.text,
                        "start": q.start,
                        "end": q.end,
                        "kind": q.kind,
                        "cue": q.cue,
                        "speaker": q.speaker,
                        "confidence": q.confidence,
                    }
                    for q in quotes
                ],
                "speakers": [
                    {"name": s.name, "aliases": list(s.aliases), "kind": s.kind, "role": s.role} for s in speakers
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return

        self.stdout.write(f"{len(quotes)} quotes, {len(speakers)} speakers in {path}")
        self.stdout.write(f"{'start':>7} {'end':>7} {'kind':8} {'conf':>4}  {'cue':14} {'speaker':28} text")
        for q in quotes:
            text = " ".join(q.text.split())
            if len(text) > 90:
                text = text[:87] + "..."
            self.stdout.write(
                f"{q.start:>7} {q.end:>7} {q.kind:8} {q.confidence:4.2f}  {(q.cue or '-'):14} "
                f"{(q.speaker or '-')[:28]:28} {text}"
            )
        if speakers:
            self.stdout.write("")
            self.stdout.write(f"{'speaker':32} {'kind':12} {'role':30} aliases")
            for s in speakers:
                self.stdout.write(f"{s.name[:32]:32} {s.kind:12} {(s.role or '-')[:30]:30} {', '.join(s.aliases)}")
