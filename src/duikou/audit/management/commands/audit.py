"""``duikou audit verify``: check the audit log's hash chain."""

import argparse
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.audit.selectors import audit_chain_verify
from duikou.core.errors import PermissionDenied


def _problem(report) -> str:
    """What is wrong at the broken link, in words."""
    n = report.broken_at
    messages = {
        "unchained": lambda: _("record #{id} has no hash: it was written outside the audited services "
                               "(raw SQL or a direct insert).").format(id=n),
        "altered": lambda: _("record #{id} was altered after it was written: its stored hash does not match "
                             "its content and scope.").format(id=n),
        "deleted": lambda: _("the record before #{id} is missing: #{id} follows a record that no longer "
                             "exists (deleted).").format(id=n),
        "reordered": lambda: _("record #{id} is out of order: it follows record #{linked}, which comes after "
                               "it.").format(id=n, linked=report.linked_to),
        "misplaced": lambda: _("record #{id} follows record #{linked}, not the record before it: a record was "
                               "inserted or moved between them.").format(id=n, linked=report.linked_to),
        "rewritten": lambda: _("record #{id} is the chain's head but its hash is not the head's: the hashes "
                               "were recomputed after they were written.").format(id=n),
        "truncated": lambda: _("the chain ends at record #{last} but its head is record #{id}: records at the "
                               "end were deleted.").format(id=n, last=report.last_id or 0),
    }
    return messages[report.problem]()


class Command(DuikouCommand):
    help = "The audit log. 'verify': check its hash chain and report the first broken link."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", metavar="verify", required=True)
        verify = sub.add_parser(
            "verify", help="Walk the hash chain in id order and report the first broken link.",
            description="Walk the audit log's hash chain in id order, recompute every hash and report the "
                        "first broken link (exit 1), or the number of records and the head hash (exit 0).",
        )
        verify.add_argument("--from-id", type=int, metavar="N",
                            help="Start at record N, trusting the hash of the record before it.")
        verify.add_argument("--json", action="store_true", help="Print one JSON object.")
        # The common options after the word as well (`duikou audit verify --language en`);
        # SUPPRESS keeps a value given before the word.
        verify.add_argument("--user", default=argparse.SUPPRESS,
                            help="Act as this user (scope and audit); default: the system actor.")
        verify.add_argument("--language", choices=["zh-hans", "en"], default=argparse.SUPPRESS,
                            help="Language of the output; default: zh-hans (LANGUAGE_CODE).")

    def handle(self, *args, **options):
        try:
            report = audit_chain_verify(actor=current_actor(), from_id=options.get("from_id"))
        except PermissionDenied as exc:
            raise CommandError(str(exc.args[0] if exc.args else exc)) from None
        if options.get("json"):
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.render(report))
        if not report.ok:
            raise CommandError(_("The audit log's hash chain is broken at record #{id}.").format(id=report.broken_at))

    def render(self, report) -> str:
        if report.ok:
            if report.records:
                lines = [_("The audit log's hash chain is intact: {n} records verified (#{first} to #{last}).")
                         .format(n=report.records, first=report.first_id, last=report.last_id)]
            else:
                lines = [_("The audit log's hash chain is intact: no records to verify.")]
            lines.append(_("Head hash: {hash}").format(hash=report.head_hash))
            return "\n".join(lines)
        lines = [
            _("The audit log's hash chain is broken at record #{id}.").format(id=report.broken_at),
            _("Problem: {problem}").format(problem=_problem(report)),
            _("Records verified before it: {n}").format(n=report.records),
        ]
        if report.problem != "truncated":
            hashes = [(_("Expected previous hash"), report.expected_prev_hash),
                      (_("Stored previous hash"), report.stored_prev_hash),
                      (_("Stored hash"), report.stored_hash),
                      (_("Computed hash"), report.computed_hash)]
            hashes = [(str(label), value) for label, value in hashes if value is not None]
            width = max(len(label) for label, _value in hashes) + 2
            lines += [f"{label}: ".ljust(width) + (value or "—") for label, value in hashes]
        return "\n".join(lines)
