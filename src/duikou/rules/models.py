from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.core.constraints import ends_after, year_range
from duikou.core.models import RecordModel
from duikou.core.permissions import scope_for
from duikou.core.querysets import RestrictedQuerySet
from duikou.organisations.models import Organisation, Programme

from .defaults import DEFAULT_RULES
from .values import parse_value

__all__ = ["Rule", "RuleQuerySet"]


class RuleQuerySet(RestrictedQuerySet):
    """``restrict()`` as for every record (a rule reaches its supporter and its recipient), except
    that every signed-in user may *view* the general rules: those for no supporter and no recipient
    (programme-wide or for every programme). Writing a general rule needs a scope over every
    organisation (a superuser or an all-organisations role)."""

    def restrict(self, actor, action: str = "view"):
        scope = scope_for(actor, action)
        if scope.all or action != "view" or not getattr(actor, "is_authenticated", False):
            return super().restrict(actor, action)
        q = Q(supporter__isnull=True, recipient__isnull=True)
        if scope.org_ids:
            q |= Q(supporter_id__in=scope.org_ids) | Q(recipient_id__in=scope.org_ids)
        return self.filter(q)


class Rule(RecordModel):
    """One parameter of the fund-management measures for a scope and a period of years.

    The scope is a programme, a supporter, a recipient, or a supporter and a recipient (one
    pairing); an empty scope field matches everything. The most specific row valid in a year wins
    (:func:`duikou.rules.selectors.rule_value`); without one the default of
    :data:`~duikou.rules.defaults.DEFAULT_RULES` applies. A rule changes from a year on with a new
    row (``rule_set_from_year``), never by rewriting the old one, so earlier years keep their rule;
    two rows of one key and scope never cover the same year.

    ``value`` is stored as text in a canonical form and read with :attr:`typed_value` (Decimal for
    shares and amounts, exactly as written; int; ``"MM-DD"``; bool). ``source`` cites the
    precedent or the decision that sets the rule.
    """

    key = models.CharField(_("rule"), max_length=60, help_text=_("One of the rule keys, e.g. alloc.max_mgmt_fee."))
    value = models.CharField(_("value"), max_length=100,
                             help_text=_("A share as a fraction (0.80), an amount in yuan, a number of days, a date as "
                                         "MM-DD, or true/false."))
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="rules",
                                  help_text=_("Empty: every programme."))
    supporter = models.ForeignKey(Organisation, verbose_name=_("supporter"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="rules_as_supporter",
                                  help_text=_("Empty: every supporter."))
    recipient = models.ForeignKey(Organisation, verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="rules_as_recipient",
                                  help_text=_("Empty: every recipient."))
    valid_from_year = models.PositiveSmallIntegerField(_("valid from year"))
    valid_to_year = models.PositiveSmallIntegerField(_("valid to year"), null=True, blank=True,
                                                     help_text=_("Empty: until further notice."))
    is_blocking = models.BooleanField(
        _("blocking"), null=True, blank=True,
        help_text=_("Blocking rules refuse the write in the services; the others only warn (duikou check). "
                    "Empty: as the rule's default."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = models.Manager.from_queryset(RuleQuerySet)()

    restrict_paths = ("supporter_id", "recipient_id")
    label_related = ("programme", "supporter", "recipient")

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["key", "valid_from_year", "id"]
        constraints = [
            year_range("rule_valid_from_range", "valid_from_year", _("The first year must lie between 1949 and 2100.")),
            ends_after("rule_years_order", "valid_from_year", "valid_to_year",
                       _("The last year must not be before the first year.")),
        ]
        indexes = [models.Index(fields=["key", "valid_from_year"], name="rule_key_year_idx")]

    def __str__(self):
        end = self.valid_to_year or ""
        return f"{self.key} = {self.value} · {self.scope_label} ({self.valid_from_year}–{end})"

    @property
    def scope_label(self) -> str:
        parts = []
        if self.supporter_id or self.recipient_id:
            parts.append(f"{self.supporter or '*'} → {self.recipient or '*'}")
        if self.programme_id:
            parts.append(str(self.programme))
        return " · ".join(parts) or str(_("everywhere"))

    @property
    def default(self):
        return DEFAULT_RULES.get(self.key)

    @property
    def typed_value(self):
        """The value read as the key's kind (Decimal, int, ``"MM-DD"``, bool or text)."""
        return parse_value(self.default.kind, self.value)

    def covers_year(self, year: int) -> bool:
        return self.valid_from_year <= year and (self.valid_to_year is None or year <= self.valid_to_year)

    def clean(self):
        from .validators import validate_rule

        validate_rule(self)
