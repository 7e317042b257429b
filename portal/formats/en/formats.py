"""English dates as UX.md wants them: 26 Nov 2026 (Chinese keeps Django's 2026年11月26日)."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
