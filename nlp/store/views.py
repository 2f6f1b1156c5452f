"""What the service shows of a store: a filtered, sorted page of reports, and the corpus in counts.

Every figure is one SQL aggregate over the report rows or their findings and themes, each served by an index
that covers it (nlp/store/models.py), never a pass over the documents, so the views stay fast on a large store.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, desc, exists, func, select

from nlp.schema import (
    AgencyCount,
    CorpusSummary,
    ReportPage,
    ReportQuery,
    ReportSummary,
    RuleCount,
    RuleYearCount,
    ThemeCount,
    ThemeYearCount,
    YearCount,
)
from nlp.store.models import FindingRow, ReportRow, ThemeRow
from nlp.store.store import Store

SUMMARY_COLUMNS = [getattr(ReportRow, name) for name in ReportSummary.model_fields]


def filtered(query: Select[Any], q: ReportQuery) -> Select[Any]:
    conditions = []
    if q.year is not None:
        conditions.append(ReportRow.year == q.year)
    if q.agency:
        escaped = q.agency.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(ReportRow.agency.like(f"%{escaped}%", escape="\\"))
    for name in ("level", "format", "medium"):
        if getattr(q, name):
            conditions.append(getattr(ReportRow, name) == getattr(q, name))
    if q.failed is not None:
        conditions.append(ReportRow.error.is_not(None) if q.failed else ReportRow.error.is_(None))
    if q.rule or q.severity:
        finding = [FindingRow.report_id == ReportRow.id]
        if q.rule:
            finding.append(FindingRow.rule == q.rule)
        if q.severity:
            finding.append(FindingRow.severity == q.severity)
        conditions.append(exists().where(and_(*finding)))
    return query.where(*conditions)


def report_page(store: Store, q: ReportQuery) -> ReportPage:
    column = getattr(ReportRow, q.sort.lstrip("-"))
    order = [(desc(column) if q.sort.startswith("-") else column).nulls_last(), ReportRow.file]
    page = filtered(select(*SUMMARY_COLUMNS), q).order_by(*order).limit(q.per_page).offset((q.page - 1) * q.per_page)
    with store.engine.connect() as conn:
        total = conn.scalar(filtered(select(func.count()).select_from(ReportRow), q)) or 0
        rows = conn.execute(page).all()
    return ReportPage(
        total=total, page=q.page, per_page=q.per_page, items=[ReportSummary(**row._asdict()) for row in rows]
    )


def summary(store: Store, top: int) -> CorpusSummary:
    read = ReportRow.error.is_(None)
    by_year = (
        select(
            ReportRow.year,
            func.count().label("reports"),
            func.coalesce(func.sum(ReportRow.errors), 0).label("errors"),
            func.coalesce(func.sum(ReportRow.warnings), 0).label("warnings"),
        )
        .where(read)
        .group_by(ReportRow.year)
        .order_by(ReportRow.year)
    )
    by_rule = (
        select(
            FindingRow.rule,
            FindingRow.severity,
            func.count().label("findings"),
            func.count(func.distinct(FindingRow.report_id)).label("reports"),
        )
        .group_by(FindingRow.rule, FindingRow.severity)
        .order_by(FindingRow.rule, FindingRow.severity)
    )
    rule_by_year = (
        select(FindingRow.year, FindingRow.rule, FindingRow.severity, func.count().label("findings"))
        .group_by(FindingRow.year, FindingRow.rule, FindingRow.severity)
        .order_by(FindingRow.year, FindingRow.rule, FindingRow.severity)
    )
    themes = (
        select(ThemeRow.theme, ThemeRow.kind, func.count().label("statements"))
        .group_by(ThemeRow.theme, ThemeRow.kind)
        .order_by(ThemeRow.kind, desc("statements"), ThemeRow.theme)
    )
    problem_themes = (
        select(ThemeRow.year, ThemeRow.theme, func.count().label("statements"))
        .where(ThemeRow.kind == "problem")
        .group_by(ThemeRow.year, ThemeRow.theme)
        .order_by(ThemeRow.year, ThemeRow.theme)
    )
    agencies = (
        select(
            ReportRow.agency,
            func.count().label("reports"),
            func.sum(ReportRow.errors).label("errors"),
            func.sum(ReportRow.warnings).label("warnings"),
        )
        .where(read, ReportRow.agency.is_not(None))
        .group_by(ReportRow.agency)
        .order_by(desc("errors"), desc("warnings"), ReportRow.agency)
        .limit(top)
    )
    with store.engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(ReportRow)) or 0
        failed = conn.scalar(select(func.count()).select_from(ReportRow).where(ReportRow.error.is_not(None))) or 0
        return CorpusSummary(
            reports=total,
            read=total - failed,
            failed=failed,
            by_year=[YearCount(**r._asdict()) for r in conn.execute(by_year)],
            by_rule=[RuleCount(**r._asdict()) for r in conn.execute(by_rule)],
            rule_by_year=[RuleYearCount(**r._asdict()) for r in conn.execute(rule_by_year)],
            themes=[ThemeCount(**r._asdict()) for r in conn.execute(themes)],
            problem_themes_by_year=[ThemeYearCount(**r._asdict()) for r in conn.execute(problem_themes)],
            agencies=[AgencyCount(**r._asdict()) for r in conn.execute(agencies)],
        )
