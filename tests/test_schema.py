"""What the pipeline emits is what the service publishes: every real report's result validates against the
AnalysisDocument schema of the OpenAPI document, and that schema names every field the pipeline writes."""

from __future__ import annotations

import jsonschema
import pytest
from conftest import SHARED

from nlp.document import ReadError
from nlp.pipeline import analyze_path
from service.app import create_app

pytestmark = pytest.mark.shared
REAL = sorted(p for p in SHARED.rglob("*") if p.suffix in (".pdf", ".docx", ".txt", ".md") and p.name != "README.md")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    spec = create_app().openapi()
    schema = {"$ref": "#/components/schemas/AnalysisDocument", "components": spec["components"]}
    return jsonschema.Draft202012Validator(schema)


def properties(validator: jsonschema.Draft202012Validator, name: str) -> set[str]:
    return set(validator.schema["components"]["schemas"][name]["properties"])


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_report_matches_the_published_schema(path, validator) -> None:
    try:
        doc = analyze_path(path).to_dict()
    except ReadError:
        pytest.skip(f"{path.name} is not a report we read")
    validator.validate(doc)
    assert set(doc) == properties(validator, "AnalysisDocument")
    for field, model in (("claims", "ClaimOut"), ("statements", "StatementOut"), ("findings", "FindingOut")):
        for item in doc[field]:
            assert set(item) == properties(validator, model), field


def test_the_real_reports_are_all_here() -> None:
    assert len(REAL) >= 35
