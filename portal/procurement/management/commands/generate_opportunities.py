from django.core.management.base import BaseCommand, CommandError

from portal.procurement.synthetic import create_opportunities


class Command(BaseCommand):
    help = "Create N synthetic contract opportunities (for benchmarks and trying the list)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError("N must be at least 1.")
        made = create_opportunities(count, seed=seed)
        self.stdout.write(f"Created {made} synthetic opportunities.")
