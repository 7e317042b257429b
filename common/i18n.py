"""Bilingual names: the catalogue and org tree carry a Chinese and an English name."""

from django.utils.translation import get_language


def pick_name(name: str, name_en: str, language: str | None = None) -> str:
    """Return the name in ``language`` (the active one by default), falling back to
    the other one."""
    if (language or get_language() or "").startswith("en"):
        return name_en or name
    return name or name_en


class BilingualNameMixin:
    """Adds ``display_name`` to a model with ``name`` and ``name_en`` fields."""

    @property
    def display_name(self) -> str:
        return pick_name(self.name, self.name_en)
