import pytest

from baomi.core.labels import Category, Level, clearance_of, dominates


@pytest.mark.rule("L1")
def test_levels_are_ordered():
    assert Level.TOP_SECRET > Level.CONFIDENTIAL > Level.SECRET > Level.NONSECRET


@pytest.mark.rule("L2")
@pytest.mark.parametrize("category, level", [
    (Category.CORE, Level.TOP_SECRET), (Category.IMPORTANT, Level.CONFIDENTIAL),
    (Category.GENERAL, Level.SECRET), (Category.NONE, Level.NONSECRET),
])
def test_category_grants_its_level(category, level):
    assert clearance_of(category) == level


@pytest.mark.rule("L5")
@pytest.mark.parametrize("clearance", list(Level))
@pytest.mark.parametrize("level", list(Level))
def test_dominance_matrix(clearance, level):
    assert dominates(clearance, level) is (clearance >= level)
