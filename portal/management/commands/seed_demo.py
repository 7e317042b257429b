"""Fill an empty database with realistic, deterministic demo data and the demo logins.

    python manage.py seed_demo                      # small: 50 dealers, a few seconds
    python manage.py seed_demo --if-empty           # what `make run` does
    python manage.py seed_demo --flush --dealers 10000 --products 2000 --months 24

The steps live in ``portal/demo/seed.py`` (``STEPS``); later features append theirs.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from portal.demo import data, seed


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Fill the database with realistic demo data and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--dealers", type=_positive, default=50)
        parser.add_argument(
            "--products", type=_positive, default=60, help="sellable products"
        )
        parser.add_argument(
            "--months", type=_positive, default=12, help="months of sales history"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="anchor date (YYYY-MM-DD) for a fully reproducible data set; "
            "default: today",
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but print the logins) when the database has data",
        )
        existing.add_argument(
            "--flush",
            action="store_true",
            help="delete all dealers, catalogue, sales organisation and demo logins "
            "first",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        dealers, products, months = (
            options["dealers"],
            options["products"],
            options["months"],
        )
        if dealers < seed.MIN_DEALERS:
            raise CommandError(f"--dealers must be at least {seed.MIN_DEALERS}.")
        if products < seed.MIN_PRODUCTS:
            raise CommandError(
                f"--products must be at least {seed.MIN_PRODUCTS} "
                "(one per leaf category)."
            )
        if months < seed.MIN_MONTHS:
            raise CommandError(f"--months must be at least {seed.MIN_MONTHS}.")
        if seed.demo_data_exists():
            if options["if_empty"]:
                self.stdout.write("The database already has data: nothing seeded.")
                self._print_logins()
                return
            if not options["flush"]:
                raise CommandError(
                    "The database already has dealers, a catalogue or demo logins. "
                    "Run with --flush to replace them with fresh demo data, or "
                    "--if-empty to leave the database as it is."
                )

        verbose = options["verbosity"] >= 1

        def on_step(name: str, seconds: float) -> None:
            if verbose:
                self.stderr.write(f"{name}: {seconds:.1f} s")

        # With DEBUG on, Django would keep the SQL of every bulk INSERT in memory.
        with override_settings(DEBUG=False):
            ctx = seed.seed_demo(
                dealers=dealers,
                products=products,
                months=months,
                seed=options["seed"],
                today=options["today"],
                flush=options["flush"],
                progress=not options["no_progress"],
                on_step=on_step,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data seeded (seed {ctx.seed}, today {ctx.today:%Y-%m-%d}) "
                f"in {sum(ctx.timings.values()):.1f} s."
            )
        )
        width = max(len(name) for name in ctx.counts)
        for name, number in ctx.counts.items():
            self.stdout.write(f"  {name:<{width}}  {number:>10,}")
        for note in ctx.notes:
            self.stdout.write(note)
        self._print_logins()

    def _print_logins(self) -> None:
        rows = [("role", "username", "password", "")] + [
            (login.role, login.username, login.password, login.note)
            for login in data.LOGINS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("Demo logins:")
        for row in rows:
            cells = [
                cell.ljust(width) for cell, width in zip(row, widths, strict=False)
            ]
            self.stdout.write("  " + "  ".join([*cells, row[3]]).rstrip())
