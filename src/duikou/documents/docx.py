"""The 年度工作总结 / 汇报材料 of a pairing as a Word document (.docx), in the style of official
documents (GB/T 9704): A4, margins 3.7 / 3.5 / 2.8 / 2.6 cm; the title in 方正小标宋简体 二号;
headings numbered 一、 (黑体 三号) and （一） (楷体_GB2312 三号); the text in 仿宋_GB2312 三号 with a
two-character first-line indent; tables in 仿宋_GB2312 五号. The East Asian font is set on every run
(:func:`duikou.core.wordfonts.set_run_font`), and the font table names 宋体 as the alternative of
the official fonts, so a computer without them shows 宋体 rather than a Latin fallback.

:func:`summary_docx` renders a :class:`~duikou.documents.selectors.SummaryReport` only: every
figure comes from the records through the selectors (the figures of ``duikou stats``).
"""

import io

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from duikou.core.money import cn_amount, floor_cn
from duikou.core.wordfonts import LATIN, declare_fonts, set_run_font
from duikou.projects.models import ProjectBeneficiary
from duikou.reports.selectors import FOURTEENTH_PLAN

from .charts import funds_by_year_png
from .selectors import SummaryReport

__all__ = ["BODY_FONT", "HEADING_FONT", "SUBHEADING_FONT", "TITLE_FONT", "cn_number", "period_phrase", "summary_docx"]

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
FALLBACK_FONT = "宋体"
NUMERALS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一 (headings go no further than 十九)."""
    return NUMERALS[n - 1] if n <= 10 else "十" + NUMERALS[n - 11]


def period_phrase(year_from: int, year_to: int) -> str:
    """How the text names the period: “十四五”以来 for 2021 to a year before 2025, “十四五”期间 for
    2021–2025, the year for one year, else Y1—Y2."""
    if year_from == FOURTEENTH_PLAN[0] and year_to == FOURTEENTH_PLAN[1]:
        return _("during the 14th Five-Year Plan (“十四五”期间)")
    if year_from == FOURTEENTH_PLAN[0] and year_from < year_to < FOURTEENTH_PLAN[1]:
        return _("since the 14th Five-Year Plan began (“十四五”以来)")
    if year_from == year_to:
        return _("in {year}").format(year=year_from)
    return _("in {start}–{end}").format(start=year_from, end=year_to)


def _add_font_fallbacks(doc) -> None:
    declare_fonts(doc, (BODY_FONT, TITLE_FONT, HEADING_FONT, SUBHEADING_FONT), FALLBACK_FONT)


class _Writer:
    def __init__(self):
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        normal.font.name = LATIN
        normal.font.size = Pt(16)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        _add_font_fallbacks(self.doc)
        self.headings = 0
        self.subheadings = 0
        self.figures = 0
        self.tables = 0

    def paragraph(self, text: str, *, font: str = BODY_FONT, size: float = 16, bold: bool = False,
                  align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True):
        p = self.doc.add_paragraph()
        p.alignment = align
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        set_run_font(p.add_run(capfirst(text)), font, size, bold)
        return p

    def title(self, text: str, subtitle: str) -> None:
        p = self.paragraph(text, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        p.paragraph_format.line_spacing = Pt(36)
        p.paragraph_format.space_after = Pt(12)
        self.paragraph(subtitle, font=SUBHEADING_FONT, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        self.paragraph("", indent=False)

    def heading(self, text: str) -> None:
        self.headings += 1
        self.subheadings = 0
        self.paragraph(f"{cn_number(self.headings)}、{text}", font=HEADING_FONT).paragraph_format.keep_with_next = True

    def subheading(self, text: str) -> None:
        self.subheadings += 1
        self.paragraph(f"（{cn_number(self.subheadings)}）{text}", font=SUBHEADING_FONT).paragraph_format.keep_with_next = True

    def caption(self, text: str, keep_with_next: bool = False) -> None:
        p = self.paragraph(text, font=HEADING_FONT, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        p.paragraph_format.keep_with_next = keep_with_next

    def table(self, caption: str, headers: list[str], rows: list[list], widths_cm: list[float],
              right: set[int] = frozenset()) -> None:
        self.tables += 1
        self.caption(_("Table {n}: {caption}").format(n=self.tables, caption=caption), keep_with_next=True)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for r, values in enumerate([headers, *rows]):
            for c, (value, width) in enumerate(zip(values, widths_cm, strict=True)):
                cell = table.cell(r, c)
                cell.width = Cm(width)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                p = cell.paragraphs[0]
                p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if r == 0 else
                               WD_ALIGN_PARAGRAPH.RIGHT if c in right else WD_ALIGN_PARAGRAPH.LEFT)
                p.paragraph_format.keep_with_next = r < len(rows)  # the table stays on one page
                set_run_font(p.add_run("" if value is None else str(value)), BODY_FONT, 10.5,
                             bold=r == 0 or (r == len(rows) and str(values[0]) == _("Total")))
        self.paragraph("", indent=False)

    def picture(self, png: bytes, caption: str) -> None:
        self.figures += 1
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(png), width=Cm(15))
        self.caption(_("Figure {n}: {caption}").format(n=self.figures, caption=caption))

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _wan(value) -> str:
    """An amount in 万元 with two decimals, without the unit (for tables headed 万元)."""
    return cn_amount(value).removesuffix("万元")


def beneficiaries_text(beneficiaries) -> str:
    parts = []
    for group, count, qualifier in beneficiaries:
        if qualifier == ProjectBeneficiary.Qualifier.MORE_THAN:
            parts.append(_("{group}: more than {n} people").format(group=group, n=count))
        elif qualifier == ProjectBeneficiary.Qualifier.ABOUT:
            parts.append(_("{group}: about {n} people").format(group=group, n=count))
        else:
            parts.append(_("{group}: {n} people").format(group=group, n=count))
    return "；".join(parts)


def _listing(rows, unit: str = "") -> str:
    return "，".join(f"{row.label} {row.count}{unit}" for row in rows)


def summary_docx(report: SummaryReport) -> bytes:
    """The 年度工作总结 of :func:`~duikou.documents.selectors.summary_report`."""
    f, cum, w = report.figures, report.cumulative, _Writer()
    period = period_phrase(report.year_from, report.year_to)
    span = (str(report.year_from) if report.year_from == report.year_to
            else f"{report.year_from}—{report.year_to}")
    w.title(_("Work summary of {supporter}'s counterpart support to {recipient} ({years})").format(
        supporter=report.supporter, recipient=report.recipient, years=span),
        _("{programme} · generated from the records on {date}").format(
            programme=report.programme, date=timezone.localdate().isoformat()))

    # 一、总体情况
    w.heading(_("Overview"))
    gap = "" if (translation.get_language() or "").startswith("zh") else " "  # no space between Chinese sentences
    scope = (gap + _("The figures include {subs}.").format(subs="、".join(report.sub_pairings))
             if report.sub_pairings else "")
    w.paragraph(_("Since the support began in {first} ({first}—{to}), {supporter} has allocated {amount} of "
                  "free aid (无偿援助资金) to {recipient} and supported {n} projects.").format(
        first=report.first_year, to=report.year_to, supporter=report.supporter, recipient=report.recipient,
        amount=floor_cn(cum.aid_funds_yuan), n=cum.projects) + scope)
    w.paragraph(_("{period}, free aid allocated: {amount} (city level {city}, district level {district}); "
                  "{n} projects; {cadres} cadres seconded in {batches} batches; {training} person-times "
                  "trained; {enterprises} enterprises introduced.").format(
        period=period, amount=floor_cn(f.aid_funds_yuan), city=floor_cn(report.funds_city),
        district=floor_cn(report.funds_district), n=f.projects, cadres=f.cadres_seconded, batches=f.cadre_batches,
        training=f.training_person_times, enterprises=f.enterprises_introduced))
    if f.planned_funds_yuan is not None:
        w.paragraph(_("The five-year plan for {start}—{end} plans {amount} of free aid; {done:.1%} of it has "
                      "been allocated.").format(start=report.year_from, end=report.year_to,
                                                amount=floor_cn(f.planned_funds_yuan),
                                                done=float(f.aid_funds_yuan / f.planned_funds_yuan)
                                                if f.planned_funds_yuan else 0.0))

    # 二、五大任务
    w.heading(_("The five key tasks"))
    fourteenth = report.fourteenth
    show_14th = fourteenth is not None and (fourteenth.year_from, fourteenth.year_to) != (f.year_from, f.year_to)
    for task in report.tasks:
        w.subheading(task.name)
        w.paragraph(_("{period}, {n} projects were carried out under this task, with {amount} of aid funds "
                      "allocated.").format(period=period, n=task.projects, amount=floor_cn(task.funds_yuan)))
        if show_14th:
            t14 = fourteenth.projects_by_task.get(task.code)
            w.paragraph(_("{period}, {n} projects, {amount} of aid funds.").format(
                period=period_phrase(fourteenth.year_from, fourteenth.year_to), n=t14.projects,
                amount=floor_cn(t14.funds_yuan)))
        examples = [e for e in report.examples if e.task_code == task.code]
        if examples:
            w.paragraph(_("Among them: {examples}.").format(examples="；".join(
                _("{name} ({year}), {amount}").format(name=e.name, year=e.start_year, amount=floor_cn(e.budget_yuan))
                + (_(", benefiting {who}").format(who=beneficiaries_text(e.beneficiaries)) if e.beneficiaries else "")
                for e in examples)))
    w.table(_("Projects and free aid by key task (10,000 yuan)"),
            [_("Key task"), _("Number of projects"), _("Free aid (10,000 yuan)")],
            [[t.name, t.projects, _wan(t.funds_yuan)] for t in report.tasks]
            + [[_("Total"), sum(t.projects for t in report.tasks), _wan(sum(t.funds_yuan for t in report.tasks))]],
            [9.0, 3.0, 4.0], right={1, 2})

    # 三、资金
    w.heading(_("Funds"))
    w.paragraph(_("{period}, {amount} of free aid was allocated: {city} at city level (市级), {district} at "
                  "district level (区级) and {other} at other levels. Of the allocations, {remitted} was "
                  "remitted, {received} received by the recipient and {spent} spent.").format(
        period=period, amount=cn_amount(f.aid_funds_yuan), city=cn_amount(report.funds_city),
        district=cn_amount(report.funds_district), other=cn_amount(report.funds_other),
        remitted=cn_amount(report.progress.remitted), received=cn_amount(report.progress.received),
        spent=cn_amount(report.progress.spent)))
    w.paragraph(_("Economic cooperation funds (经济合作资金, received) are counted apart and never added to free "
                  "aid: {amount} in the period.").format(amount=cn_amount(report.econ_total)))
    econ = dict(report.econ)
    w.table(_("Funds by budget year (10,000 yuan)"),
            [_("Year"), _("City level"), _("District level"), _("Other"), _("Free aid total"),
             _("Economic cooperation")],
            [[row.year, _wan(row.city), _wan(row.district), _wan(row.other), _wan(row.total), _wan(econ[row.year])]
             for row in report.funds]
            + [[_("Total"), _wan(report.funds_city), _wan(report.funds_district), _wan(report.funds_other),
                _wan(f.aid_funds_yuan), _wan(report.econ_total)]],
            [2.2, 2.7, 2.7, 2.4, 3.0, 3.0], right={1, 2, 3, 4, 5})
    w.picture(funds_by_year_png(report.funds),
              _("Free aid allocated by budget year, city / district / other level (10,000 yuan)"))

    # 四、项目
    w.heading(_("Projects"))
    # the projects of the records (not generated for the demo) in sentences, or the three largest
    named = [e for e in report.examples if not e.is_illustrative] or sorted(
        report.examples, key=lambda e: -e.budget_yuan)[:3]
    if not report.examples:
        w.paragraph(_("{period}, no project was carried out.").format(period=period))
    else:
        w.paragraph(_("{period}, {n} projects were carried out; table {table} lists the largest of each task. "
                      "Among them:").format(period=period, n=f.projects, table=w.tables + 1))
        for e in named:
            text = _("{name} ({year}, {location}): budget {budget}, free aid allocated in the period {allocated}"
                     ).format(name=e.name, year=e.start_year, location=e.location or "—",
                              budget=floor_cn(e.budget_yuan), allocated=floor_cn(e.allocated_yuan))
            if e.beneficiaries:
                text += _("; beneficiaries: {who}").format(who=beneficiaries_text(e.beneficiaries))
            w.paragraph(text + "。")
        w.table(_("Named projects"),
                [_("Project"), _("Year"), _("Budget (10,000 yuan)"), _("Allocated (10,000 yuan)"),
                 _("Beneficiaries")],
                [[e.name, e.start_year, _wan(e.budget_yuan), _wan(e.allocated_yuan),
                  beneficiaries_text(e.beneficiaries)] for e in report.examples],
                [5.2, 1.6, 2.6, 2.6, 4.0], right={1, 2, 3})

    # 五、干部人才和培训
    w.heading(_("Cadres, professionals and training"))
    w.paragraph(_("{period}, {n} cadres and professionals were seconded in {batches} batches ({kinds}); by "
                  "field: {fields}.").format(
        period=period, n=f.cadres_seconded, batches=f.cadre_batches,
        kinds=_listing(report.cadres_by_kind) or "—", fields=_listing(report.cadres_by_field) or "—"))
    sessions = sum(row.count for row in report.training_by_category)
    w.paragraph(_("{sessions} training sessions were held with {n} person-times trained ({categories}).").format(
        sessions=sessions, n=f.training_person_times,
        categories="，".join(f"{row.label} {row.total}" for row in report.training_by_category) or "—"))
    w.table(_("Training by category"), [_("Category"), _("Sessions"), _("Person-times")],
            [[row.label, row.count, row.total] for row in report.training_by_category]
            + [[_("Total"), sessions, f.training_person_times]],
            [8.0, 3.0, 4.0], right={1, 2})

    # 六、消费帮扶
    w.heading(_("Consumption assistance"))
    w.paragraph(_("{period}, {products} products of {recipient} were sold in {supporter}'s market; the sales "
                  "records add up to {amount}; sales contracts signed: {contracts}.").format(
        period=period, products=f.consumption_products, recipient=report.recipient, supporter=report.supporter,
        amount=floor_cn(report.sales_total_yuan), contracts=floor_cn(f.contract_sales_yuan)))
    if report.sales_by_channel:
        w.table(_("Sales by channel (10,000 yuan)"), [_("Channel"), _("Sales records"), _("Amount (10,000 yuan)")],
                [[row.label, row.count, _wan(row.total)] for row in report.sales_by_channel]
                + [[_("Total"), sum(r.count for r in report.sales_by_channel), _wan(report.sales_total_yuan)]],
                [8.0, 3.0, 4.0], right={1, 2})

    # 七、招商引资和合作协议
    w.heading(_("Investment promotion and cooperation agreements"))
    if report.enterprises:
        w.paragraph(_("{period}, {n} enterprises were introduced: {names}.").format(
            period=period, n=len(report.enterprises), names="、".join(e.name for e in report.enterprises)))
        w.table(_("Enterprises introduced"),
                [_("Enterprise"), _("Industry"), _("Status"), _("Agreed (10,000 yuan)"), _("Paid-in (10,000 yuan)")],
                [[e.name, e.industry, e.status, "" if e.agreed_yuan is None else _wan(e.agreed_yuan),
                  "" if e.paid_in_yuan is None else _wan(e.paid_in_yuan)] for e in report.enterprises],
                [5.0, 3.0, 2.6, 2.7, 2.7], right={3, 4})
    else:
        w.paragraph(_("{period}, no enterprise was introduced.").format(period=period))
    if report.agreements:
        w.paragraph(_("{n} cooperation agreements were signed: {titles}.").format(
            n=len(report.agreements), titles="；".join(
                f"{a.title}（{'、'.join(a.parties)}，{a.signed_year}）" for a in report.agreements)))
    else:
        w.paragraph(_("No cooperation agreement was signed in the period."))

    # 八、说明
    w.heading(_("About these figures"))
    w.paragraph(_("Every figure is computed from the records in duikou, as duikou stats --from {start} --to "
                  "{end} prints them: free aid is the grant-stream allocations (计划下达) of the budget years; "
                  "projects are those in an annual plan and not cancelled, by first year. The two fund streams "
                  "are never added together.").format(start=report.year_from, end=report.year_to))
    if f.aid_funds_illustrative_yuan:
        w.paragraph(_("{share:.1%} of the free aid of the period rests on illustrative records (generated where the "
                      "sources give only totals).").format(share=f.illustrative_share))
    return w.bytes()
