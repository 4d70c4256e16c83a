"""``/knowledge/diseases[/{key}]`` and ``/knowledge/unverified``: the knowledge base and the
unverified-facts register as public pages, read through the same services as the command line
and the API (in-process clients of ``tests/web/conftest.py``)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from immunospine.reports.wording import NOT_A_DIAGNOSIS
from immunospine.services import diseases, verification

Pages = Callable[[str | None], TestClient]


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("role", [None, "clinician"])
def test_the_list_is_public_and_is_the_service_s(pages: Pages, role: str | None) -> None:
    page = pages(role).get("/knowledge/diseases")
    assert page.status_code == 200
    rows = diseases.list_diseases()
    for row in rows:
        assert f'href="/knowledge/diseases/{row["key"]}"' in page.text
    assert f"{len(rows)} diseases shown." in text_of(page.text)
    assert NOT_A_DIAGNOSIS in text_of(page.text)
    assert 'href="/knowledge/diseases"' in page.text.split("</nav>")[0]  # in the navigation


def test_the_filter_by_mechanism_and_group(pages: Pages) -> None:
    query = "?mechanism=nerve_or_spinal_cord&group=neurological"
    page = pages(None).get(f"/knowledge/diseases{query}")
    assert page.status_code == 200
    rows = diseases.list_diseases("nerve_or_spinal_cord", "neurological")
    shown = re.findall(r'href="/knowledge/diseases/([a-z0-9_]+)"', page.text)
    assert shown == [r["key"] for r in rows] and "multiple_sclerosis" in shown
    assert '<option value="nerve_or_spinal_cord" selected>' in page.text
    assert '<option value="neurological" selected>' in page.text


def test_an_unknown_mechanism_is_the_404_page_naming_the_nearest(pages: Pages) -> None:
    page = pages(None).get("/knowledge/diseases?mechanism=nerve")
    assert page.status_code == 404
    assert "nearest: nerve_or_spinal_cord" in text_of(page.text)


def test_one_disease_in_full_with_its_sources(pages: Pages) -> None:
    page = pages(None).get("/knowledge/diseases/Lupus")
    assert page.status_code == 200
    entry = diseases.describe("lupus")
    text = text_of(page.text)
    assert entry["name"] in text and entry["specialist"] in text
    assert " ".join(entry["how_it_reaches_the_back"].split()) in text
    for item in (*entry["key_features"], *entry["helpful_tests"]):
        assert " ".join(item.split()) in text
    for source in entry["sources"]:
        assert " ".join(source["citation"].split()) in text
        assert ("checked:" if source["verified"] else "not checked:") in text
    assert NOT_A_DIAGNOSIS in text


def test_an_unknown_disease_is_the_404_page_naming_the_nearest(pages: Pages) -> None:
    page = pages(None).get("/knowledge/diseases/multiple%20sclerosys")
    assert page.status_code == 404
    text = text_of(page.text)
    assert "Not found" in text and "nearest: multiple_sclerosis" in text


def test_the_unverified_register_counts_then_facts_by_area(pages: Pages) -> None:
    page = pages(None).get("/knowledge/unverified")
    assert page.status_code == 200
    data = verification.unverified_json()
    text = text_of(page.text)
    assert f"{len(data['facts'])} facts still unverified." in text
    for count in data["summary"]:
        assert count["title"] in text
        has_facts = any(f["area"] == count["area"] for f in data["facts"])
        assert (f'data-testid="area-{count["area"]}"' in page.text) == has_facts
    assert page.text.index('data-testid="summary"') < page.text.find('data-testid="area-')
    assert NOT_A_DIAGNOSIS in text


def test_one_area_and_an_unknown_one(pages: Pages) -> None:
    one = pages(None).get("/knowledge/unverified?area=concept_sets")
    assert one.status_code == 200
    assert 'data-testid="area-red_flags"' not in one.text
    bad = pages(None).get("/knowledge/unverified?area=red_flag")
    assert bad.status_code == 404
    assert "nearest: red_flags" in text_of(bad.text)
