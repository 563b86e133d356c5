import pytest

from campaigns.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_paths_follow_the_tree(org):
    assert org.x.path == f"/{org.x.pk}/"
    assert org.x1a.path == f"/{org.x.pk}/{org.x1.pk}/{org.x1a.pk}/"
    assert org.x1a.depth == 2
    assert org.x1a.ancestor_ids == [org.x.pk, org.x1.pk, org.x1a.pk]


def test_moving_a_unit_moves_its_subtree(org):
    org.x1.parent = org.y
    org.x1.save()
    child = Unit.objects.get(pk=org.x1a.pk)
    assert child.path == f"/{org.y.pk}/{org.x1.pk}/{org.x1a.pk}/"
    assert child.depth == 2


def test_a_unit_cannot_move_under_its_own_child(org):
    from django.core.exceptions import ValidationError

    org.x1.parent = org.x1a
    with pytest.raises(ValidationError):
        org.x1.full_clean()


def test_search_text_is_folded(db):
    unit = UnitFactory(code="TCHQ-HN", name="Cục Hải quan thành phố Hà Nội")
    assert "cuc hai quan thanh pho ha noi" in unit.search_text
