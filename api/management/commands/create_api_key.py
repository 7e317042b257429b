from django.core.management.base import BaseCommand, CommandError

from api import services
from common.errors import DomainError


class Command(BaseCommand):
    help = "Create an API key for the integration; the key is printed once."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        try:
            _key, raw = services.api_key_create(name=name)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(raw)
