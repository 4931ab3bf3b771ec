"""The default roles. They are rows of :class:`~duikou.accounts.models.Role` (seeded by a data
migration, editable by an administrator); this list is their starting point."""

__all__ = ["DEFAULT_ROLES"]

ALL = ["view", "add", "change", "delete"]

# code, Chinese name, English name, actions, sees every organisation
DEFAULT_ROLES = [
    ("national_supervisor", "国家监管部门", "national supervisor", ["view"], True),
    ("supporter_office", "支援方工作机构", "supporter office", ALL, False),
    ("district_office", "区级工作机构", "district office", ALL, False),
    ("recipient_office", "受援方工作机构", "recipient office", ["view", "add", "change"], False),
    ("member_unit", "成员单位", "member unit", ["view", "add", "change"], False),
    ("read_only", "只读", "read-only", ["view"], False),
]
