"""The JSONL dump is lossless: dump, empty the database, load, and every field of every model is back."""

import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from apps.corpus.models import Outlet
from apps.exports.jsonl import DECLARED_MODELS, DOMAIN_APPS, export_models

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    """Every concrete field and many-to-many list of every exported model; users by username."""
    User = get_user_model()
    names = dict(User.objects.values_list("pk", "username"))
    snap = {}
    for model in export_models():
        rows = []
        for obj in model._base_manager.order_by("pk"):
            row = {}
            for f in model._meta.concrete_fields:
                value = getattr(obj, f.attname)
                row[f.name] = names.get(value) if f.is_relation and f.related_model is User else value
            for f in model._meta.many_to_many:
                row[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
            rows.append(row)
        snap[model._meta.label] = rows
    snap["users"] = sorted(
        (
            u.username,
            u.first_name,
            u.last_name,
            u.email,
            u.is_staff,
            u.is_superuser,
            u.is_active,
            tuple(sorted(u.groups.values_list("name", flat=True))),
        )
        for u in User.objects.all()
    )
    return snap


def _empty_database():
    for model in reversed(export_models()):
        model._base_manager.all().delete()
    get_user_model().objects.all().delete()


def test_every_domain_model_is_in_the_dump():
    expected = {
        m
        for label in DOMAIN_APPS
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")
    }
    assert set(export_models()) == expected
    order = [m._meta.label for m in export_models()]
    assert order.index("corpus.Outlet") < order.index("corpus.Article") < order.index("annotations.Annotation")


def test_round_trip_into_an_empty_database_loses_nothing(corpus, tmp_path):
    corpus.xinhua.name = "Xinhua — 新华社"  # non-ASCII survives
    corpus.xinhua.save()
    before = _snapshot()
    for label in DECLARED_MODELS[:11]:  # the models every installation has: each holds rows in this test
        assert before[label], f"{label} has no rows: the round trip would prove nothing for it"
    dump = tmp_path / "dump.jsonl"
    call_command("export_spans", format="jsonl", output=str(dump), no_progress=True, stderr=open("/dev/null", "w"))
    header = json.loads(dump.read_text(encoding="utf-8").splitlines()[0])
    assert header["format"] == "readout-jsonl" and "annotations.annotation" in header["models"]
    assert "password" not in dump.read_text(encoding="utf-8")

    _empty_database()
    assert not Outlet.objects.exists() and not get_user_model().objects.exists()
    call_command("import_jsonl", str(dump), no_progress=True, stdout=open("/dev/null", "w"))

    after = _snapshot()
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key
    # users come back without a usable password; sequences continue after the kept ids
    assert not get_user_model().objects.get(username="ana").has_usable_password()
    assert Outlet.objects.create(name="New").pk > max(row["id"] for row in before["corpus.Outlet"])


def test_loading_into_a_non_empty_database_is_refused(corpus, tmp_path):
    dump = tmp_path / "dump.jsonl"
    call_command("export_spans", format="jsonl", output=str(dump), no_progress=True, stderr=open("/dev/null", "w"))
    count = Outlet.objects.count()
    with pytest.raises(CommandError, match=r"not empty: it already holds corpus.outlet \(2\).*Nothing was imported"):
        call_command("import_jsonl", str(dump), no_progress=True)
    assert Outlet.objects.count() == count


def test_a_file_that_is_not_a_dump_is_refused(db, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "an article"}\n')
    with pytest.raises(CommandError, match="not a Readout JSONL dump"):
        call_command("import_jsonl", str(bad), no_progress=True)
    bad.write_text(
        '{"format": "readout-jsonl", "version": 1}\n{"model": "corpus.outlet", "pk": 1, '
        '"fields": {"name": "A", "colour": "red"}}\n'
    )
    with pytest.raises(CommandError, match="line 2: corpus.outlet has no field 'colour'"):
        call_command("import_jsonl", str(bad), no_progress=True)
    assert not Outlet.objects.exists()


def test_a_mention_of_an_article_the_dump_lacks_is_refused(corpus, tmp_path):
    from apps.annotations.models import EntityMention
    from apps.corpus.models import Article

    dump = tmp_path / "dump.jsonl"
    call_command("export_spans", format="jsonl", output=str(dump), no_progress=True, stderr=open("/dev/null", "w"))
    lines = dump.read_text(encoding="utf-8").splitlines()
    # the mentions of one article point at an article that is not in the file (no database key checks that)
    mention = next(json.loads(line) for line in lines[1:] if json.loads(line)["model"] == "annotations.entitymention")
    missing = max(Article.objects.values_list("pk", flat=True)) + 1000
    forged = [
        json.dumps({**record, "fields": {**record["fields"], "article": missing}}) if record == mention else line
        for line, record in ((line, json.loads(line)) for line in lines)
    ]
    dump.write_text("\n".join(forged) + "\n", encoding="utf-8")
    _empty_database()
    with pytest.raises(CommandError, match=f"names corpus.article {missing}, which the dump does not hold"):
        call_command("import_jsonl", str(dump), no_progress=True)
    assert not EntityMention.objects.exists() and not Article.objects.exists()
