"""The Procfile's ``tick``: ``notifications_tick`` kept alive across database faults.

A sweep that meets a restarted or unreachable PostgreSQL logs the error, drops the
broken connections and starts again after the usual pause, so the process reconnects
by itself instead of exiting (and, under honcho, stopping every other process)."""

import logging
import time

from django.db import Error as DatabaseError
from django.db import connections

from notifications import conf
from notifications.management.commands import notifications_tick

logger = logging.getLogger(__name__)


class Command(notifications_tick.Command):
    help = "notifications_tick, surviving database restarts (the Procfile's tick)."

    def handle(self, *args, **options):
        while True:
            try:
                return super().handle(*args, **options)
            except DatabaseError as error:
                logger.warning("tick: database error (%s); reconnecting", error)
                connections.close_all()
                if options.get("once"):
                    raise
                time.sleep(options.get("every") or conf.get("TICK_SECONDS"))
