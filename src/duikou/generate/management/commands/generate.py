from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.core.errors import ApplicationError
from duikou.generate.bulk import Progress
from duikou.generate.generator import SCALES, dataset_delete, dataset_digest, dataset_generate


class Command(DuikouCommand):
    help = ("Fill the database with a generated national dataset (illustrative, deterministic from --seed), "
            "loaded in bulk.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--scale", choices=list(SCALES), default="small",
                            help="national (100 %%), medium (10 %%), small (1 %%; default) or tiny (for tests).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random streams (default 1).")
        parser.add_argument("--force", action="store_true",
                            help="Generate even though the database holds pairings not made by duikou generate.")
        parser.add_argument("--replace", action="store_true",
                            help="Delete a previous generated dataset first (in the same transaction).")
        parser.add_argument("--delete", action="store_true",
                            help="Only delete the generated dataset (every row whose source starts 'duikou generate').")
        parser.add_argument("--digest", action="store_true",
                            help="Print the SHA-256 of the generated rows (same seed and scale, same digest).")
        parser.add_argument("--progress", action="store_true",
                            help="Draw the progress bar on stderr even when stderr is not a terminal.")

    def handle(self, *args, **options):
        actor = current_actor()
        try:
            if options["delete"]:
                deleted = dataset_delete(actor=actor)
                for table, n in deleted.items():
                    self.stdout.write(_("deleted {n:>10,} {table}").format(n=n, table=table))
                if not deleted:
                    self.stdout.write(_("No generated dataset to delete."))
                return
            progress = Progress(self.stderr._out, options["progress"] or self.stderr.isatty())
            result = dataset_generate(actor=actor, scale=options["scale"], seed=options["seed"],
                                      force=options["force"], replace=options["replace"], progress=progress)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        for table, n in result.deleted.items():
            self.stdout.write(_("deleted {n:>10,} {table}").format(n=n, table=table))
        for table, n in result.rows.items():
            seconds = result.seconds[table]
            self.stdout.write(_("{table:<28} {n:>10,} rows {seconds:>8.2f} s {rate:>10,.0f} rows/s").format(
                table=table, n=n, seconds=seconds, rate=n / seconds if seconds else 0))
        self.stdout.write(_("{n:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s), deleting and commit included; source: {source}").format(
            n=result.total_rows, seconds=result.total_seconds,
            rate=result.total_rows / result.total_seconds if result.total_seconds else 0, source=result.source))
        if options["digest"]:
            self.stdout.write(_("digest: {digest}").format(digest=dataset_digest()))
