"""``duikou generate``: a national dataset, deterministic from a seed, marked illustrative.

Every generated row has ``is_illustrative=True`` and a ``source`` starting with
:data:`SOURCE_PREFIX` (``duikou generate``), which is how the generated dataset is told apart from
real records (:func:`dataset_delete`, the refusal rule in :func:`dataset_generate`).

Speed: the big tables (projects, fund transactions, sales, secondments, training sessions …) are
built as plain tuples with ids chosen here and written by :class:`~duikou.generate.bulk.BulkWriter`
(PostgreSQL ``COPY``, else batched ``executemany``). This **bypasses the per-row services**: no
``full_clean()``, no per-row audit record. The rows are built to keep the models' rules and the money
invariants (allocation → remittance → receipt → expenditure per project: remitted ≤ allocated,
expenditure ≤ remitted, all within the budget year; the economic-cooperation stream has allocations
only and never shares an allocation with the grant stream). The small tables (organisations,
programmes, pairings) go through ``bulk_create`` and get one audit record per row
(``record_bulk``); every big table gets **one** summary audit record (``record``, action create, on
its first row, with the row count and id range in the message), so the hash chain stays valid.
"""

import hashlib
import random
import time
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.db.models import ForeignKey
from django.utils import timezone
from django.utils.translation import gettext as _

from duikou.audit.models import ObjectChange
from duikou.audit.services import record, record_bulk, snapshot
from duikou.consumption.models import Product, SalesChannel, SalesRecord, Supplier
from duikou.core import totals
from duikou.core.choices import FundLevel, FundStream
from duikou.core.errors import ApplicationError
from duikou.core.permissions import require
from duikou.funds.models import FundTransaction
from duikou.organisations.choices import DivisionLevel, OrganisationKind, PairingLevel, ProgrammeKind
from duikou.organisations.models import AdminDivision, Organisation, Pairing, Programme
from duikou.people.models import Field, Secondment, SecondmentBatch, TrainingSession
from duikou.plans.models import KeyTask
from duikou.projects.choices import ProjectStatus, Sector, WorkField
from duikou.projects.models import Project

from .bulk import BulkWriter, Progress

__all__ = [
    "GENERATED_MODELS",
    "SCALES",
    "SOURCE_PREFIX",
    "Counts",
    "GenerateResult",
    "dataset_delete",
    "dataset_digest",
    "dataset_generate",
    "generated_pairings",
]

SOURCE_PREFIX = "duikou generate"

# Tables the generator fills, in insert order (delete goes the other way).
GENERATED_MODELS = [Organisation, Programme, Pairing, Project, FundTransaction, Supplier, Product, SalesChannel,
                    SalesRecord, SecondmentBatch, Secondment, TrainingSession]


@dataclass(frozen=True)
class Counts:
    """How many of each: the national scale is the issue's numbers; the others a share of them."""

    supporters: int
    counties: int
    pairings: int
    projects: int
    fund_transactions: int
    sales_records: int
    secondments: int
    training_sessions: int

    def scaled(self, share: float) -> "Counts":
        def s(n, floor=1):
            return max(floor, round(n * share))

        return Counts(supporters=s(self.supporters, 2), counties=s(self.counties, 2), pairings=s(self.pairings, 2),
                      projects=s(self.projects), fund_transactions=s(self.fund_transactions),
                      sales_records=s(self.sales_records), secondments=s(self.secondments),
                      training_sessions=s(self.training_sessions))


NATIONAL = Counts(supporters=40, counties=1000, pairings=1200, projects=300_000, fund_transactions=3_000_000,
                  sales_records=5_000_000, secondments=50_000, training_sessions=200_000)
SCALES = {
    "national": NATIONAL,
    "medium": NATIONAL.scaled(0.10),
    "small": NATIONAL.scaled(0.01),
    # for the tests: a few of everything, in seconds
    "tiny": Counts(supporters=3, counties=4, pairings=6, projects=60, fund_transactions=500, sales_records=400,
                   secondments=30, training_sessions=40),
}

# ---------------------------------------------------------------------------------- reference lists

# ~40 supporters: provinces and municipalities, cities, central units (定点帮扶).
SUPPORTER_PROVINCES = [
    ("北京市", "110000"), ("上海市", "310000"), ("天津市", "120000"), ("江苏省", "320000"), ("浙江省", "330000"),
    ("广东省", "440000"), ("山东省", "370000"), ("福建省", "350000"), ("辽宁省", "210000"), ("河北省", "130000"),
    ("安徽省", "340000"), ("河南省", "410000"), ("湖南省", "430000"), ("湖北省", "420000"), ("黑龙江省", "230000"),
    ("吉林省", "220000"), ("山西省", "140000"), ("江西省", "360000"),
]
SUPPORTER_CITIES = [
    ("深圳市", "440300"), ("广州市", "440100"), ("大连市", "210200"), ("青岛市", "370200"), ("宁波市", "330200"),
    ("厦门市", "350200"), ("杭州市", "330100"), ("苏州市", "320500"), ("珠海市", "440400"), ("东莞市", "441900"),
    ("佛山市", "440600"), ("中山市", "442000"),
]
CENTRAL_UNITS = [
    ("水利部", OrganisationKind.MINISTRY), ("教育部", OrganisationKind.MINISTRY),
    ("国家卫生健康委员会", OrganisationKind.MINISTRY), ("农业农村部", OrganisationKind.MINISTRY),
    ("交通运输部", OrganisationKind.MINISTRY), ("国家电网有限公司", OrganisationKind.ENTERPRISE),
    ("中国石油天然气集团有限公司", OrganisationKind.ENTERPRISE), ("中国建筑集团有限公司", OrganisationKind.ENTERPRISE),
    ("清华大学", OrganisationKind.UNIVERSITY), ("北京大学", OrganisationKind.UNIVERSITY),
]

# (kind, code, name, started on, recipient provinces)
PROGRAMMES = [
    (ProgrammeKind.THREE_GORGES, "generated-three-gorges", "全国对口支援三峡库区（示意）", date(1992, 1, 1), ("42", "50")),
    (ProgrammeKind.XINJIANG_TIBET, "generated-xinjiang-tibet", "对口支援新疆、西藏（示意）", date(1994, 7, 1),
     ("65", "54", "63")),
    (ProgrammeKind.EAST_WEST, "generated-east-west", "东西部协作（示意）", date(1996, 10, 1),
     ("52", "53", "45", "62", "64", "15", "61", "51")),
    (ProgrammeKind.DESIGNATED, "generated-designated", "中央单位定点帮扶（示意）", date(2002, 1, 1), ()),
]

ITEMS = {
    "ecology": ["小流域综合治理", "污水处理设施", "生态护岸工程", "垃圾收运体系", "地质灾害防治", "植被恢复工程"],
    "industry": ["茶叶加工厂", "中药材种植基地", "特色产业园", "高山蔬菜基地", "农产品冷链设施", "养殖小区"],
    "public_services": ["卫生院改扩建", "小学教学楼", "幼儿园建设", "村卫生室", "饮水安全工程", "敬老院改造"],
    "urban_rural": ["集镇道路改造", "村组公路硬化", "安置点配套", "便民桥梁", "人居环境整治"],
    "opening_up": ["电商服务中心", "旅游集散中心", "合作交流中心", "招商推介平台", "人才培训基地"],
}
SECTOR = {"ecology": Sector.ENVIRONMENT, "industry": Sector.AGRICULTURE, "public_services": Sector.COMMUNITY,
          "urban_rural": Sector.INFRASTRUCTURE, "opening_up": Sector.TOURISM}
WORK_FIELD = {"ecology": WorkField.ECOLOGY, "industry": WorkField.INDUSTRY, "public_services": WorkField.LIVELIHOOD,
              "urban_rural": WorkField.LIVELIHOOD, "opening_up": WorkField.INDUSTRY}
PRODUCTS = ["茶叶", "木耳", "香菇", "蜂蜜", "核桃", "腊肉", "牛肉干", "红枣", "枸杞", "土豆粉", "菜籽油", "苹果"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
FIELDS = [Field.FINANCE, Field.AGRICULTURE, Field.CULTURE_TOURISM, Field.EDUCATION, Field.HEALTH, Field.DEVELOPMENT,
          Field.COMMERCE, Field.INDUSTRY, Field.PARTY]
CATEGORIES = [c for c, _label in TrainingSession.Category.choices]
BUYERS = [("预算单位食堂", SalesRecord.BuyerType.BUDGET_UNIT), ("国有企业工会", SalesRecord.BuyerType.UNION),
          ("国有企业", SalesRecord.BuyerType.STATE_ENTERPRISE), ("市民", SalesRecord.BuyerType.PUBLIC)]
LAST_YEAR = 2025


def money(cents: int) -> str:
    """Integer cents as the decimal text the databases take for a ``DecimalField`` (``"1234.50"``)."""
    return f"{cents // 100}.{cents % 100:02d}"


def split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` (≥ ``parts``) in ``parts`` positive integers that sum exactly to it."""
    if parts == 1:
        return [total]
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def spread(total: int, n: int) -> list[int]:
    """``total`` spread over ``n`` slots as evenly as possible (the first ones take the remainder)."""
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


@dataclass
class GenerateResult:
    scale: str
    seed: int
    source: str
    rows: dict = field(default_factory=dict)  # table → rows
    seconds: dict = field(default_factory=dict)  # table → seconds
    deleted: dict = field(default_factory=dict)
    total_seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class P:
    """A generated pairing, as the big tables need it."""

    id: int
    supporter_id: int
    supporter_division_id: int
    recipient_division_id: int
    county: str
    y0: int
    y1: int


def generated_pairings():
    return Pairing._base_manager.filter(source__startswith=SOURCE_PREFIX)


def _day(rng, year, months=(1, 12)) -> str:
    return f"{year}-{rng.randint(*months):02d}-{rng.randint(1, 28):02d}"


class Generator:
    def __init__(self, *, actor, counts: Counts, seed: int, scale: str, progress: Progress):
        self.actor, self.counts, self.seed, self.scale = actor, counts, seed, scale
        self.source = f"{SOURCE_PREFIX} (illustrative; scale {scale}, seed {seed})"
        self.writer = BulkWriter(progress)
        self.result = GenerateResult(scale=scale, seed=seed, source=self.source)
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.written = []

    def rng(self, table: str) -> random.Random:
        """One random stream per table, so that each table depends only on the seed and the counts."""
        return random.Random(f"{self.seed}:{table}")

    # -------------------------------------------------------------- small tables (bulk_create + audit rows)
    def _orgs(self, wanted: list[tuple[str, str, int | None]]) -> list[int]:
        """Ids of the organisations (name, kind, division id): existing ones with that name and kind are
        used (``--force`` on a database that has them), the others created."""
        existing = {(n, k): i for n, k, i in Organisation._base_manager.values_list("name", "kind", "id")}
        new = [Organisation(name=n, kind=k, division_id=d, is_illustrative=True, source=self.source)
               for n, k, d in wanted if (n, k) not in existing]
        t0 = time.perf_counter()
        Organisation._base_manager.bulk_create(new, batch_size=1000)
        record_bulk(new, action=ObjectChange.Action.CREATE, actor=self.actor, message=self.source)
        existing |= {(o.name, o.kind): o.pk for o in new}
        self._count(Organisation, len(new), time.perf_counter() - t0)
        return [existing[(n, k)] for n, k, _d in wanted]

    def _count(self, model, n, seconds):
        table = model._meta.db_table
        self.result.rows[table] = self.result.rows.get(table, 0) + n
        self.result.seconds[table] = self.result.seconds.get(table, 0.0) + seconds

    def supporters(self):
        n = self.counts.supporters
        divisions = dict(AdminDivision._base_manager.values_list("code", "id"))
        pool = ([(name, OrganisationKind.SUPPORTER_PROVINCE, code) for name, code in SUPPORTER_PROVINCES]
                + [(name, OrganisationKind.SUPPORTER_CITY, code) for name, code in SUPPORTER_CITIES])
        central = [(name, kind, "110000") for name, kind in CENTRAL_UNITS]
        n_central = max(1, round(n * len(central) / (len(pool) + len(central))))
        chosen = pool[: max(1, n - n_central)] + central[:n_central]
        ids = self._orgs([(name, kind, divisions[code]) for name, kind, code in chosen])
        self.regional = [(i, divisions[c], k) for i, (_n, k, c) in zip(ids, chosen, strict=True)
                         if k != OrganisationKind.MINISTRY and k not in (OrganisationKind.ENTERPRISE,
                                                                         OrganisationKind.UNIVERSITY)]
        self.central = [(i, divisions[c], k) for i, (_n, k, c) in zip(ids, chosen, strict=True)
                        if (i, divisions[c], k) not in self.regional]

    def counties(self):
        rng = self.rng("counties")
        provinces = {code: kind for kind, _c, _n, _d, codes in PROGRAMMES for code in codes}
        rows = list(AdminDivision._base_manager.filter(
            level=DivisionLevel.COUNTY, valid_to__isnull=True, is_statistical_only=False,
        ).exclude(name="市辖区").order_by("code").values_list("id", "code", "name", "parent__name"))
        rows = [r for r in rows if r[1][:2] in provinces]
        if len(rows) < self.counts.counties:
            raise ApplicationError(_("Only {n} recipient counties are loaded; run duikou load-divisions.").format(
                n=len(rows)))
        chosen = sorted(rng.sample(rows, self.counts.counties), key=lambda r: r[1])
        names = [r[2] for r in chosen]
        wanted = [(name if names.count(name) == 1 else f"{parent}{name}", OrganisationKind.RECIPIENT_COUNTY, i)
                  for (i, _code, name, parent) in chosen]
        ids = self._orgs(wanted)
        self.county_list = [(org_id, div_id, code, name, provinces[code[:2]])
                            for org_id, (div_id, code, name, _p) in zip(ids, chosen, strict=True)]

    def programmes(self):
        t0 = time.perf_counter()
        existing = {p.code: p for p in Programme._base_manager.filter(code__in=[c for _k, c, *_r in PROGRAMMES])}
        new = [Programme(code=code, name=name, kind=kind, started_on=start, is_illustrative=True, source=self.source)
               for kind, code, name, start, _prov in PROGRAMMES if code not in existing]
        Programme._base_manager.bulk_create(new)
        programmes = {p.code: p for p in [*existing.values(), *new]}
        by_kind = {kind: programmes[code] for kind, code, *_r in PROGRAMMES}
        Through = Programme.covered_divisions.through
        Through.objects.bulk_create([
            Through(programme_id=by_kind[kind].pk, admindivision_id=div_id)
            for _o, div_id, _c, _n, kind in self.county_list
            if by_kind[kind] in new
        ], batch_size=1000)
        record_bulk(new, action=ObjectChange.Action.CREATE, actor=self.actor, message=self.source)
        self._count(Programme, len(new), time.perf_counter() - t0)
        self.programme = by_kind

    def pairings(self):
        rng = self.rng("pairings")
        t0 = time.perf_counter()
        objs, seen = [], set()

        def add(county, programme, supporter):
            org_id, div_id, _code, name, _kind = county
            sup_id, sup_div, sup_kind = supporter
            for _attempt in range(20):
                y0 = rng.randint(programme.started_on.year, 2021)
                if (programme.pk, sup_id, org_id, y0) not in seen:
                    break
            seen.add((programme.pk, sup_id, org_id, y0))
            ongoing = rng.random() < 0.6
            y1 = LAST_YEAR if ongoing else rng.randint(min(y0 + 4, LAST_YEAR), LAST_YEAR)
            level = {OrganisationKind.SUPPORTER_PROVINCE: PairingLevel.PROVINCE_COUNTY,
                     OrganisationKind.SUPPORTER_CITY: PairingLevel.CITY_COUNTY,
                     OrganisationKind.ENTERPRISE: PairingLevel.ENTERPRISE_COUNTY,
                     OrganisationKind.UNIVERSITY: PairingLevel.INSTITUTION}.get(sup_kind, PairingLevel.PROVINCE_COUNTY)
            objs.append(Pairing(
                programme=programme, supporter_id=sup_id, recipient_id=org_id, recipient_division_id=div_id,
                level=level, valid_from=max(date(y0, 1, 1), programme.started_on),
                valid_to=None if ongoing else date(y1, 12, 31), is_illustrative=True, source=self.source,
            ))
            self.meta.append((sup_id, sup_div, div_id, name, y0, y1))

        self.meta = []
        for i in range(self.counts.pairings):
            if i < len(self.county_list):
                county = self.county_list[i]
                add(county, self.programme[county[4]], rng.choice(self.regional))
            else:  # 定点帮扶: a central unit on a county that has a pairing already
                add(rng.choice(self.county_list), self.programme[ProgrammeKind.DESIGNATED],
                    rng.choice(self.central or self.regional))
        Pairing._base_manager.bulk_create(objs, batch_size=1000)
        for o in objs:  # record_bulk reads __str__ (supporter, recipient, programme)
            o.supporter = Organisation(pk=o.supporter_id, name=self.names[o.supporter_id])
            o.recipient = Organisation(pk=o.recipient_id, name=self.names[o.recipient_id])
        record_bulk(objs, action=ObjectChange.Action.CREATE, actor=self.actor, message=self.source)
        self._count(Pairing, len(objs), time.perf_counter() - t0)
        self.pairing_list = [P(o.pk, *m) for o, m in zip(objs, self.meta, strict=True)]

    # -------------------------------------------------------------- big tables (tuples, COPY)
    def write(self, model, columns, rows, total, first_id):
        t0 = time.perf_counter()
        n = self.writer.write(model, columns, rows, total)
        seconds = time.perf_counter() - t0
        self._count(model, n, seconds)
        self.written.append(model)
        if n:
            first = model._base_manager.get(pk=first_id)
            record(first, action=ObjectChange.Action.CREATE, actor=self.actor, org_ids=set(), keep_totals=False, message=_(
                "{source}: {n} rows of {table} written in bulk (ids {first}–{last}); this record stands for all of "
                "them").format(source=self.source, n=n, table=model._meta.db_table, first=first_id,
                               last=first_id + n - 1)[:300])
        return n

    def projects(self):
        rng = self.rng("projects")
        tasks = list(KeyTask._base_manager.order_by("order").values_list("code", "id"))
        first = next_id = self.writer.next_id(Project)
        self.project_rows = []  # (id, pairing id, year, budget cents, status)
        per_pairing = spread(self.counts.projects, len(self.pairing_list))
        cols = ["id", "code", "name", "pairing_id", "key_task_id", "work_field", "sector", "location_division_id",
                "location", "start_year", "end_year", "budget", "status", "description", "farmer_linkage",
                "return_status", "is_illustrative", "source", "created", "last_updated"]

        def rows():
            nonlocal next_id
            for p, n in zip(self.pairing_list, per_pairing, strict=True):
                for _k in range(n):
                    year = rng.randint(p.y0, p.y1)
                    end = min(year + rng.randint(0, 2), p.y1)
                    task, task_id = tasks[rng.randrange(len(tasks))]
                    status = (ProjectStatus.CLOSED if end <= 2022 else ProjectStatus.ACCEPTED if end == 2023
                              else ProjectStatus.COMPLETED if end == 2024 else ProjectStatus.IN_PROGRESS)
                    budget = rng.randrange(20, 2000) * 1_000_000  # 20万–2000万 yuan, in cents
                    pid = next_id
                    next_id += 1
                    self.project_rows.append((pid, p.id, year, budget, status))
                    items = ITEMS[task]
                    yield (pid, f"GEN-{pid - first + 1:07d}", f"{year}年{p.county}{items[rng.randrange(len(items))]}",
                           p.id, task_id, WORK_FIELD[task], SECTOR[task], p.recipient_division_id, "", year, end,
                           money(budget), status, "", "不涉及", "", True, self.source, self.now, self.now)

        self.write(Project, cols, rows(), self.counts.projects, first)

    def funds(self):
        rng = self.rng("fund_transactions")
        total = self.counts.fund_transactions
        econ = total // 20 if self.project_rows else total
        per_project = spread(total - econ, len(self.project_rows)) if self.project_rows else []
        first = next_id = self.writer.next_id(FundTransaction)
        K = FundTransaction.Kind
        cols = ["id", "kind", "pairing_id", "project_id", "allocation_id", "stream", "level", "year", "date",
                "amount", "doc_no", "account", "note", "is_management_fee", "is_illustrative", "source", "created",
                "last_updated"]
        src, now = self.source, self.now

        def row(kind, pairing, project, alloc, stream, year, day, cents, doc="", account=""):
            nonlocal next_id
            next_id += 1
            return (next_id - 1, kind, pairing, project, alloc, stream, FundLevel.CITY, year, day, money(cents),
                    doc, account, "", False, True, src, now, now)

        def rows():
            for (pid, pairing, year, budget, status), n in zip(self.project_rows, per_project, strict=True):
                if not n:
                    continue
                alloc = next_id
                yield row(K.ALLOCATION, pairing, pid, None, FundStream.GRANT, year, _day(rng, year, (1, 6)), budget,
                          doc=f"示意援〔{year}〕{pid}号")
                r = max(1, (n - 1) // 4) if n > 1 else 0
                c = min(r, n - 1 - r)
                e = n - 1 - r - c
                finished = status in (ProjectStatus.CLOSED, ProjectStatus.ACCEPTED)
                remitted = budget if finished else budget * rng.randint(50, 100) // 100
                remits = split(remitted, r, rng) if r else []
                for cents in remits:
                    yield row(K.REMITTANCE, pairing, pid, alloc, FundStream.GRANT, year, _day(rng, year, (7, 9)), cents)
                for cents in remits[:c]:
                    yield row(K.RECEIPT, pairing, pid, alloc, FundStream.GRANT, year, _day(rng, year, (7, 9)), cents,
                              account="县财政局对口支援资金专户")
                if e:
                    spent = remitted if finished else remitted * rng.randint(30, 95) // 100
                    for cents in split(max(spent, e), e, rng):
                        yield row(K.EXPENDITURE, pairing, pid, alloc, FundStream.GRANT, year,
                                  _day(rng, year, (10, 12)), cents)
            # economic cooperation (经济合作): allocations of attracted investment, no project, no chain
            for p, n in zip(self.pairing_list, spread(econ, len(self.pairing_list)), strict=True):
                for _k in range(n):
                    year = rng.randint(p.y0, p.y1)
                    yield row(K.ALLOCATION, p.id, None, None, FundStream.ECON, year, _day(rng, year),
                              rng.randrange(100, 50_000) * 1_000_000)

        self.write(FundTransaction, cols, rows(), total, first)

    def consumption(self):
        rng = self.rng("sales")
        base = ["pairing_id", "is_illustrative", "source", "created", "last_updated"]
        extra = (True, self.source, self.now, self.now)
        sup_first = sup_id = self.writer.next_id(Supplier)
        prod_first = prod_id = self.writer.next_id(Product)
        chan_first = chan_id = self.writer.next_id(SalesChannel)
        suppliers, products, channels, self.shops = [], [], [], []
        for index, p in enumerate(self.pairing_list):
            sups = []
            for k in range(2):
                suppliers.append((sup_id, f"{p.county}示意农特产品合作社{k + 1}", p.recipient_division_id, "订单收购",
                                  rng.randint(20, 400), "", p.id, *extra))
                sups.append(sup_id)
                sup_id += 1
            prods = []
            for k in range(5):
                name = f"{p.county}{PRODUCTS[(index + k) % len(PRODUCTS)]}"
                products.append((prod_id, f"{name}（{k + 1}号）", sups[k % 2], p.recipient_division_id, "农特产品",
                                 True, "", p.id, *extra))
                prods.append(prod_id)
                prod_id += 1
            chans = []
            for name, kind in (("消费帮扶馆", SalesChannel.Kind.PAVILION), ("线上专馆", SalesChannel.Kind.ONLINE)):
                channels.append((chan_id, f"{p.county}{name}（示意）", kind, p.supporter_division_id, p.supporter_id,
                                 p.id, *extra))
                chans.append(chan_id)
                chan_id += 1
            self.shops.append((prods, chans))
        self.write(Supplier, ["id", "name", "division_id", "linkage", "households", "credit_code", *base], iter(suppliers),
                   len(suppliers), sup_first)
        self.write(Product, ["id", "name", "supplier_id", "origin_division_id", "category", "in_supporter_system",
                             "quality_labels", *base], iter(products), len(products), prod_first)
        self.write(SalesChannel, ["id", "name", "kind", "market_division_id", "operator_id", *base], iter(channels),
                   len(channels), chan_first)

        first = next_id = self.writer.next_id(SalesRecord)
        cols = ["id", "pairing_id", "product_id", "channel_id", "market_division_id", "date", "quantity", "unit",
                "amount", "buyer", "buyer_type", "is_illustrative", "source", "created", "last_updated"]
        src, now = self.source, self.now

        def rows():
            nonlocal next_id
            for p, (prods, chans), n in zip(self.pairing_list, self.shops,
                                            spread(self.counts.sales_records, len(self.pairing_list)), strict=True):
                y0 = max(p.y0, 2016) if p.y1 >= 2016 else p.y0
                for _k in range(n):
                    buyer, buyer_type = BUYERS[rng.randrange(4)]
                    qty = rng.randint(1, 500)
                    yield (next_id, p.id, prods[rng.randrange(5)], chans[rng.randrange(2)], p.supporter_division_id,
                           _day(rng, rng.randint(y0, p.y1)), f"{qty}.00", "件", money(qty * rng.randint(2000, 20000)),
                           buyer, buyer_type, True, src, now, now)
                    next_id += 1

        self.write(SalesRecord, cols, rows(), self.counts.sales_records, first)

    def people(self):
        rng = self.rng("people")
        base = ["is_illustrative", "source", "created", "last_updated"]
        extra = (True, self.source, self.now, self.now)
        batch_first = batch_id = self.writer.next_id(SecondmentBatch)
        batches, of_pairing = [], []
        for p in self.pairing_list:
            ids = []
            for number, year in enumerate(range(p.y0, p.y1 + 1, 3), start=1):
                batches.append((batch_id, p.id, number, f"第{number}批挂职干部（示意）", f"{year}-07-15", *extra))
                ids.append((batch_id, year))
                batch_id += 1
            of_pairing.append(ids)
        self.write(SecondmentBatch, ["id", "pairing_id", "number", "name", "dispatched_on", *base], iter(batches),
                   len(batches), batch_first)

        first = next_id = self.writer.next_id(Secondment)

        def secondments():
            nonlocal next_id
            for p, ids, n in zip(self.pairing_list, of_pairing, spread(self.counts.secondments, len(self.pairing_list)),
                                 strict=True):
                for k in range(n):
                    bid, year = ids[k % len(ids)]
                    name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
                    end = year + rng.choice((1, 2, 3))
                    yield (next_id, bid, name, p.supporter_id, f"{p.county}人民政府", "副县长" if k == 0 else "挂职干部",
                           FIELDS[rng.randrange(len(FIELDS))],
                           Secondment.Kind.CADRE if rng.random() < 0.6 else Secondment.Kind.PROFESSIONAL,
                           f"{year}-07-15", f"{end}-07-14", *extra)
                    next_id += 1

        self.write(Secondment, ["id", "batch_id", "person_name", "home_unit_id", "host_unit", "post", "field", "kind",
                                "start_date", "end_date", *base], secondments(), self.counts.secondments, first)

        first = next_id = self.writer.next_id(TrainingSession)

        def trainings():
            nonlocal next_id
            for p, n in zip(self.pairing_list, spread(self.counts.training_sessions, len(self.pairing_list)),
                            strict=True):
                for _k in range(n):
                    year = rng.randint(p.y0, p.y1)
                    month, day = rng.randint(1, 12), rng.randint(1, 20)
                    category = CATEGORIES[rng.randrange(len(CATEGORIES))]
                    participants = rng.randint(10, 200)
                    yield (next_id, p.id, f"{year}年{p.county}干部人才培训班（示意）", category,
                           f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}-{day + rng.randint(0, 7):02d}", "",
                           p.supporter_id, participants, participants * rng.randint(1, 3),
                           money(participants * rng.randint(50, 500) * 100), *extra)
                    next_id += 1

        self.write(TrainingSession, ["id", "pairing_id", "title", "category", "start_date", "end_date", "location",
                                     "organiser_id", "participants", "person_times", "funds", *base], trainings(),
                   self.counts.training_sessions, first)

    def run(self) -> GenerateResult:
        self.supporters()
        self.counties()
        self.names = dict(Organisation._base_manager.filter(
            pk__in=[i for i, *_r in self.regional + self.central] + [c[0] for c in self.county_list]
        ).values_list("id", "name"))
        self.programmes()
        self.pairings()
        self.projects()
        self.funds()
        self.consumption()
        self.people()
        self.writer.reset_sequences(self.written)
        return self.result


def _check_database(*, force: bool, replace: bool) -> None:
    others = Pairing._base_manager.exclude(source__startswith=SOURCE_PREFIX).count()
    if others and not force:
        raise ApplicationError(_(
            "The database holds {n} pairings that duikou generate did not make: it refuses to add an illustrative "
            "dataset to them. Use an empty database, or --force."
        ).format(n=others))
    if generated_pairings().exists() and not replace:
        raise ApplicationError(_(
            "The database holds a generated dataset already: use --replace to delete it and generate anew, or "
            "--delete to delete it."
        ))


def dataset_generate(*, actor, scale: str | Counts = "small", seed: int = 1, force: bool = False,
                     replace: bool = False, progress: Progress | None = None) -> GenerateResult:
    """Fill the database with a generated dataset in one transaction (nothing half-written).

    Refused (``ApplicationError``) when the database has pairings not generated here, unless
    ``force``; or a generated dataset already, unless ``replace`` (which deletes it first)."""
    require(actor, "add", Pairing())
    if isinstance(scale, Counts):
        counts, name = scale, "custom"
    elif scale in SCALES:
        counts, name = SCALES[scale], scale
    else:
        raise ApplicationError(_("Unknown scale {scale}: choose one of {choices}.").format(
            scale=scale, choices=", ".join(SCALES)))
    if counts.pairings < counts.counties:
        counts = dc_replace(counts, pairings=counts.counties)
    _check_database(force=force, replace=replace)
    if not KeyTask._base_manager.exists():
        raise ApplicationError(_("The key tasks are missing: run duikou migrate."))
    t0 = time.perf_counter()
    with transaction.atomic():
        deleted = dataset_delete(actor=actor) if replace else {}
        result = Generator(actor=actor, counts=counts, seed=seed, scale=name,
                           progress=progress or Progress(None, False)).run()
        result.deleted = deleted
        _rebuild_totals()
    result.total_seconds = time.perf_counter() - t0  # with the commit (PostgreSQL checks the foreign keys then)
    return result


def dataset_delete(*, actor) -> dict:
    """Delete every generated row (``source`` starting with ``duikou generate``), newest tables first,
    with one audit record per table (action delete, on its first row, the count in the message).
    Returns table → rows deleted. Refused (``ApplicationError``, nothing deleted) when a record that
    was not generated refers to a generated one (an output added by hand to a generated project)."""
    require(actor, "delete", Pairing())
    try:
        with transaction.atomic():
            deleted = _delete()
            _rebuild_totals()  # and no totals left pointing at a deleted pairing
            # the foreign keys are deferred: check them now, so the refusal names the cause here
            connection.check_constraints()
    except IntegrityError as exc:
        raise ApplicationError(_(
            "The generated dataset cannot be deleted: a record that duikou generate did not make refers to it "
            "({error}). Delete that record first."
        ).format(error=str(exc).strip().splitlines()[0][:300])) from None
    for table, (n, first, before) in deleted.items():
        record(first, action=ObjectChange.Action.DELETE, before=before, actor=actor, org_ids=set(), keep_totals=False,
               message=_(
            "duikou generate --delete: {n} generated rows of {table} deleted in bulk; this record stands for all "
            "of them").format(n=n, table=table)[:300])
    return {table: n for table, (n, _f, _b) in deleted.items()}


def _rebuild_totals() -> None:
    """The register totals (:mod:`duikou.core.totals`) of the tables written or deleted in bulk: the
    bulk paths leave one audit record per table, not per row, so they rebuild the totals instead."""
    for kept in totals.registered():
        totals.rebuild(kept)


def _delete() -> dict:
    deleted = {}
    qn = connection.ops.quote_name
    programmes = list(Programme._base_manager.filter(source__startswith=SOURCE_PREFIX).values_list("pk", flat=True))
    for model in reversed(GENERATED_MODELS):
        first = model._base_manager.filter(source__startswith=SOURCE_PREFIX).order_by("pk").first()
        if first is None:
            continue
        before = snapshot(first)
        str(first)  # loads the relations __str__ reads: the audit record is written after the rows are gone
        with connection.cursor() as cursor:
            if model is Programme and programmes:
                marks = ", ".join(["%s"] * len(programmes))
                for through in (Programme.covered_divisions.through, Programme.lead_organisations.through):
                    cursor.execute(f"DELETE FROM {qn(through._meta.db_table)} WHERE programme_id IN ({marks})",
                                   programmes)
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE source LIKE %s", [SOURCE_PREFIX + "%"])
            deleted[model._meta.db_table] = (cursor.rowcount, first, before)
    return deleted


def dataset_digest() -> str:
    """SHA-256 over every generated row, ids and references to generated rows taken relative to the
    first generated id of their table (so two databases, or two runs after ``--replace``, compare
    equal when the data is the same); times of writing left out."""
    digest = hashlib.sha256()
    bases = {}
    for model in GENERATED_MODELS:
        bases[model] = (model._base_manager.filter(source__startswith=SOURCE_PREFIX)
                        .order_by("pk").values_list("pk", flat=True).first() or 0)
    for model in GENERATED_MODELS:
        fields = [f for f in model._meta.concrete_fields if f.name not in ("created", "last_updated")]
        offsets = []
        for f in fields:
            target = f.related_model if isinstance(f, ForeignKey) else (model if f.primary_key else None)
            offsets.append(bases.get(target, 0) if target in bases else 0)
        digest.update(model._meta.db_table.encode())
        qs = (model._base_manager.filter(source__startswith=SOURCE_PREFIX).order_by("pk")
              .values_list(*[f.attname for f in fields]))
        for row in qs.iterator(chunk_size=10_000):
            values = []
            for value, offset in zip(row, offsets, strict=True):
                if offset and value is not None:
                    value -= offset
                elif hasattr(value, "quantize"):
                    value = f"{value:.2f}"
                values.append(str(value))
            digest.update("\x1f".join(values).encode() + b"\x1e")
    return digest.hexdigest()
