"""How duikou's records map to IATI 2.03 codes, both ways (docs/user/iati.md has the tables).

Codes are from the IATI codelists (ActivityStatus, OrganisationRole, OrganisationType,
TransactionType, Sector = OECD DAC 5-digit purpose codes, DescriptionType, DocumentCategory,
ResultType); the tests check every code here against the codelists shipped with the tests.
Where IATI has fewer codes than duikou (a lifecycle of 17 states against 6 activity statuses),
the export also writes duikou's own value as an attribute in the :data:`NS` namespace, which the
2.03 schema allows on its elements; an import reads that first and the IATI code otherwise.
"""

__all__ = [
    "ACTIVITY_STATUS_OF",
    "CURRENCY",
    "DAC_OF_SECTOR",
    "DONE_STATUSES",
    "DUIKOU",
    "KIND_OF_TRANSACTION_TYPE",
    "NS",
    "ORG_TYPE_OF_KIND",
    "ROLE_ACCOUNTABLE",
    "ROLE_FUNDING",
    "ROLE_IMPLEMENTING",
    "STATUS_OF_ACTIVITY_STATUS",
    "TASK_OF_SECTOR",
    "TRANSACTION_TYPE_OF_KIND",
    "activity_status",
    "kind_of_org_type",
    "sector_of_dac",
]

NS = "https://duikou.org/ns/iati"  # duikou's extension attributes (duikou:status …)
DUIKOU = "{" + NS + "}"
CURRENCY = "CNY"

ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_EXTENDING, ROLE_IMPLEMENTING = "1", "2", "3", "4"

# ActivityStatus: 1 pipeline/identification, 2 implementation, 3 finalisation, 4 closed,
# 5 cancelled, 6 suspended.
_STATUS = {
    "1": ("draft", "proposed", "township_reviewed", "in_library", "planned", "agreed", "preparing"),
    "2": ("in_progress", "change_pending"),
    "3": ("completed", "accepted", "handed_over", "evaluated", "audited"),
    "4": ("closed",),
    "5": ("cancelled",),
    "6": ("suspended",),
}
ACTIVITY_STATUS_OF = {status: code for code, statuses in _STATUS.items() for status in statuses}
# the works are done (an output's actual value is its quantity)
DONE_STATUSES = _STATUS["3"] + _STATUS["4"]
# importing an activity without duikou:status: the first state of each IATI status
STATUS_OF_ACTIVITY_STATUS = {"1": "proposed", "2": "in_progress", "3": "completed", "4": "closed",
                             "5": "cancelled", "6": "suspended"}


def activity_status(status: str) -> str:
    return ACTIVITY_STATUS_OF[status]


# Sector (duikou.projects.choices.Sector) → DAC 5-digit purpose code (vocabulary 1)
DAC_OF_SECTOR = {
    "education": "11120",       # Education facilities and training
    "health": "12230",          # Basic health infrastructure
    "water": "14030",           # Basic drinking water supply and basic sanitation
    "employment": "16020",      # Employment creation
    "infrastructure": "21020",  # Road transport
    "agriculture": "31120",     # Agricultural development
    "manufacturing": "32120",   # Industrial development
    "tourism": "33210",         # Tourism policy and administrative management
    "environment": "41010",     # Environmental policy and administrative management
    "community": "43040",       # Rural development
    "other": "43010",           # Multisector aid
}
# DAC code prefixes → sector, longest prefix first (importing other publishers' activities)
_SECTOR_PREFIXES = [
    ("16020", "employment"), ("43040", "community"), ("332", "tourism"), ("140", "water"),
    ("11", "education"), ("12", "health"), ("13", "health"), ("21", "infrastructure"), ("22", "infrastructure"),
    ("23", "infrastructure"), ("31", "agriculture"), ("32", "manufacturing"), ("41", "environment"),
]


def sector_of_dac(code: str) -> str:
    for prefix, sector in _SECTOR_PREFIXES:
        if code.startswith(prefix):
            return sector
    return "other"


# key task (plans.KeyTask code) for a sector when the activity names none (sector vocabulary 99)
TASK_OF_SECTOR = {
    "education": "public_services", "health": "public_services", "community": "public_services",
    "employment": "public_services", "water": "ecology", "environment": "ecology", "agriculture": "industry",
    "manufacturing": "industry", "tourism": "industry", "infrastructure": "urban_rural", "other": "public_services",
}

# FundTransaction.Kind → TransactionType. Approvals (adjustment, carry-over) move no money: not exported.
TRANSACTION_TYPE_OF_KIND = {
    "allocation": "2",     # Outgoing Commitment (计划下达)
    "remittance": "3",     # Disbursement (拨付)
    "receipt": "1",        # Incoming Funds (到位)
    "disbursement": "3",   # Disbursement (县级拨付)
    "expenditure": "4",    # Expenditure (支出)
}
KIND_OF_TRANSACTION_TYPE = {"2": "allocation", "11": "allocation", "3": "remittance", "1": "receipt",
                            "4": "expenditure"}

# OrganisationKind → OrganisationType
ORG_TYPE_OF_KIND = {
    "supporter_province": "10", "supporter_city": "10", "district": "10", "recipient_county": "10",
    "ministry": "10", "township": "10", "member_unit": "10",  # Government
    "enterprise": "70",                                      # Private Sector
    "university": "80", "research_institute": "80",          # Academic, Training and Research
    "hospital": "15", "school": "15",                        # Other Public Sector
    "other": "90",                                           # Other
}


def kind_of_org_type(code: str | None) -> str:
    return {"10": "member_unit", "11": "member_unit", "15": "other", "70": "enterprise", "71": "enterprise",
            "72": "enterprise", "73": "enterprise", "80": "university"}.get(code or "", "other")
