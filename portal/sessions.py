"""Sessions read from the cache, written through to the database.

Django's ``cached_db`` engine, with every cache call guarded: when the cache is down a
request reads and writes its session in the database (never a 500). With
``REDIS_URL`` the cache is shared by every process; the embedded default's local
memory serves its one process.
"""

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - any cache failure: read the database
            logger.warning("Session cache unavailable; reading the database.")
            data = None
        if data is not None:
            return data
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        try:
            self._cache.set(
                self.cache_key, data, self.get_expiry_age(expiry=row.expire_date)
            )
        except Exception:  # noqa: BLE001 - the database answered; the cache can wait
            logger.warning("Session cache unavailable; not caching the session.")
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:  # noqa: BLE001
            logger.warning("Session cache unavailable; asking the database.")
        return cached_db.DBStore.exists(self, session_key)

    def delete(self, session_key=None):
        try:
            super().delete(session_key)
        except Exception:  # noqa: BLE001 - the row is gone; the cache entry expires
            logger.exception("Session cache unavailable; cached copy not deleted.")
