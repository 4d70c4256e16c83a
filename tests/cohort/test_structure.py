"""The cohort package's structure: the engine, the synthetic generator and the evaluation stay apart,
``plan`` and ``features`` do not import each other both ways, and every package names its public
names in ``__all__``."""

from __future__ import annotations

import importlib

import grimp
import pytest

ENGINE = (
    "immunospine.cohort.plan",
    "immunospine.cohort.features",
    "immunospine.cohort.scoring",
    "immunospine.cohort.runner",
    "immunospine.cohort.params",
    "immunospine.cohort.backends",
)
PACKAGES = (
    "immunospine.cohort",
    "immunospine.cohort.backends",
    "immunospine.cohort.synthetic",
    "immunospine.cohort.evaluation",
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Type-only imports (under TYPE_CHECKING) are not a runtime coupling.
    return grimp.build_graph("immunospine", exclude_type_checking_imports=True)


def test_plan_and_features_are_not_a_cycle(graph: grimp.ImportGraph) -> None:
    assert not graph.chain_exists(
        importer="immunospine.cohort.features", imported="immunospine.cohort.plan"
    )


@pytest.mark.parametrize("engine", ENGINE)
@pytest.mark.parametrize("part", ["immunospine.cohort.synthetic", "immunospine.cohort.evaluation"])
def test_generator_and_evaluation_sit_apart_from_the_engine(
    graph: grimp.ImportGraph, engine: str, part: str
) -> None:
    assert not graph.chain_exists(importer=engine, imported=part, as_packages=True)
    assert not graph.chain_exists(importer=part, imported=engine, as_packages=True)


@pytest.mark.parametrize("name", PACKAGES)
def test_every_package_lists_its_public_names(name: str) -> None:
    package = importlib.import_module(name)
    assert package.__all__, name
    for public in package.__all__:
        assert not public.startswith("_")
        assert getattr(package, public) is not None
