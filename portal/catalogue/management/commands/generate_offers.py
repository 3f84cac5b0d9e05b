from django.core.management.base import BaseCommand

from portal.catalogue.synthetic import create_offers


class Command(BaseCommand):
    help = "Create N synthetic support offers (for benchmarks and trying the search)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, seed, **options):
        made = create_offers(count, seed=seed)
        self.stdout.write(f"Created {made} synthetic offers.")
