"""Admin helpers shared by the apps."""

from common import versions


class BumpsCacheVersions:
    """A ModelAdmin mixin: saves and deletes bump ``cache_scopes`` (``common.versions``)
    in the admin's own transaction, as the services do, so no page shows what the
    admin just changed from a cache."""

    cache_scopes: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        versions.bump(*self.cache_scopes)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        versions.bump(*self.cache_scopes)
        super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        versions.bump(*self.cache_scopes)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        versions.bump(*self.cache_scopes)
        super().delete_queryset(request, queryset)
