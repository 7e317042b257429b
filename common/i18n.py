"""Bilingual names: the catalogue and org tree carry a Chinese and an English name."""

from django.utils.translation import get_language


def pick_name(name: str, name_en: str, language: str | None = None) -> str:
    """Return the name in ``language`` (the active one by default), falling back to
    the other one."""
    if (language or get_language() or "").startswith("en"):
        return name_en or name
    return name or name_en


def date_format(language: str | None = None) -> str:
    """How a day is written in ``language`` (the active one by default), as UX.md
    asks: 26 Nov 2026 in English, 2026年11月26日 in Chinese."""
    if language is None:
        language = get_language() or ""
    return "j M Y" if language.startswith("en") else "Y年n月j日"


class BilingualNameMixin:
    """Adds ``display_name`` to a model with ``name`` and ``name_en`` fields."""

    @property
    def display_name(self) -> str:
        return pick_name(self.name, self.name_en)
