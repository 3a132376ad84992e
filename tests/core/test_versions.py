import pytest
from django.core.exceptions import ValidationError

from apps.annotations.models import Annotation
from apps.core.versions import VersionConflict, version_claim
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db
LIVE = Annotation.objects.filter(deleted_at__isnull=True)


def test_a_claim_at_the_current_version_bumps_it():
    span = AnnotationFactory(version=4)
    assert version_claim(LIVE, pk=span.pk, version="4", what="span") == 5
    span.refresh_from_db()
    assert span.version == 5


def test_a_claim_at_an_old_version_names_the_current_row():
    span = AnnotationFactory(version=4)
    with pytest.raises(VersionConflict) as conflict:
        version_claim(LIVE, pk=span.pk, version=3, what="span")
    assert conflict.value.current.pk == span.pk and "span was changed elsewhere" in conflict.value.message
    span.refresh_from_db()
    assert span.version == 4


def test_a_claim_on_a_row_that_left_the_live_set_has_no_current_row():
    span = AnnotationFactory(version=1)
    Annotation.objects.filter(pk=span.pk).update(deleted_at="2025-01-01T00:00:00Z")
    with pytest.raises(VersionConflict) as conflict:
        version_claim(LIVE, pk=span.pk, version=1, what="span")
    assert conflict.value.current is None and "deleted" in conflict.value.message


def test_a_claim_without_a_version_number_is_bad_input():
    span = AnnotationFactory()
    with pytest.raises(ValidationError) as err:
        version_claim(LIVE, pk=span.pk, version="", what="span")
    assert err.value.code == "no_version"
