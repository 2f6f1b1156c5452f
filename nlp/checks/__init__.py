"""Checks: each a function registered under one id with its default severity (registry.py); their messages are
data (messages.json). Importing this package registers every check; they run in the order imported below."""

# isort: off
from nlp.checks import tables, structure, period, prose, timeliness, elements, cross_year, reuse, follow_through  # noqa: F401 - each module registers its checks
from nlp.checks.registry import CHECKS, run_checks, run_cross_year

# isort: on

__all__ = ["CHECKS", "run_checks", "run_cross_year"]
