"""Factories for test data. Articles are made through the same normalisation as imports."""

from __future__ import annotations

import factory

from apps.accounts.models import User
from apps.accounts.services import roles_setup
from apps.annotations.models import Annotation, Theme
from apps.assignments.models import Assignment
from apps.corpus.models import Article, Outlet
from apps.corpus.text import content_hash, normalize_text


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-for-tests")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(roles_setup()[extracted])
        if create:
            self.save()


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Outlet {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    outlet = factory.SubFactory(OutletFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    text = factory.Sequence(lambda n: f"Article body number {n}. Leaders met in Moscow on Thursday.")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["text"] = normalize_text(kwargs["text"])
        kwargs.setdefault("content_hash", content_hash(kwargs["text"]))
        kwargs.setdefault("n_words", len(kwargs["text"].split()))
        return super()._create(model_class, *args, **kwargs)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    article = factory.SubFactory(ArticleFactory)
    analyst = factory.SubFactory(UserFactory, role="Analyst")


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation

    article = factory.SubFactory(ArticleFactory)
    annotator = factory.SubFactory(UserFactory, role="Analyst")
    start = 0
    end = 7
    text = factory.LazyAttribute(lambda o: o.article.text[o.start : o.end])
