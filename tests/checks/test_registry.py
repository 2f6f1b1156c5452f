"""The check registry: one id, one check; every id under a rule of contract.md; every message is data."""

from __future__ import annotations

import re

import pytest

from nlp.checks import CHECKS
from nlp.checks.registry import MESSAGES, RULES, check, rule_of


def test_every_check_is_under_a_contract_rule_and_has_both_messages() -> None:
    assert len(CHECKS) >= 15
    for check_id, registered in CHECKS.items():
        assert registered.id == check_id and registered.rule in RULES
        assert check_id == registered.rule or check_id.startswith(registered.rule + ".")
        assert registered.severity in ("error", "warning", "info")
        assert MESSAGES[check_id]["zh"] and MESSAGES[check_id]["en"]


def test_every_message_belongs_to_a_check() -> None:
    """`text` is the reader's own finding (a garbled text layer stops the pipeline before the checks);
    `reuse.batch` names a near-duplicate pair of a batch (nlp/checks/near_duplicates.py), not one report's."""
    assert set(MESSAGES) == set(CHECKS) | {"text", "reuse.batch"}


def test_an_id_is_registered_once_and_must_name_a_rule() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        check("prose.sum", "error")(lambda report: [])
    with pytest.raises(ValueError, match="not under any rule"):
        rule_of("tables.sum")


def test_message_fields_are_all_filled_by_their_check() -> None:
    """A template's {field}s are named in the check's source, so no message prints a bare placeholder."""
    import inspect

    for check_id, registered in CHECKS.items():
        source = inspect.getsource(inspect.getmodule(registered.run))
        fields = set(re.findall(r"\{(\w+)", MESSAGES[check_id]["zh"] + MESSAGES[check_id]["en"]))
        missing = [f for f in fields if not re.search(rf"\b{f}=", source)]
        assert not missing, (check_id, missing)
