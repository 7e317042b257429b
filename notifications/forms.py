"""Forms of the inbox preferences and the rep's compose screen."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealers.models import Region, SalesOrg, Tier
from notifications import selectors, texts


class PreferenceForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Notify me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Credit holds and overdue payments always come."),
    )
    portal = forms.BooleanField(label=_("Live in the portal"), required=False)
    telegram = forms.BooleanField(label=_("In Telegram (when linked)"), required=False)
    quiet_start = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Pushes in your quiet hours wait until they end."),
    )
    time_zone = forms.CharField(label=_("Time zone"), max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [
            (key, label) for key, label in texts.TOPICS.items()
        ]

    @classmethod
    def for_preference(cls, preference, data=None):
        initial = {
            "topics": [t for t in texts.TOPICS if t not in preference.muted_topics],
            "portal": preference.portal,
            "telegram": preference.telegram,
            "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end,
            "time_zone": preference.time_zone,
        }
        return cls(data=data, initial=initial)

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"].strip()
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(
                _("Not a time zone we know, e.g. Asia/Shanghai.")
            ) from None
        return name

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("quiet_start") is None) != (cleaned.get("quiet_end") is None):
            raise forms.ValidationError(
                _("Give both the start and the end of your quiet hours, or neither.")
            )
        return cleaned

    @property
    def muted_topics(self) -> list[str]:
        wanted = set(self.cleaned_data.get("topics") or [])
        return [topic for topic in texts.TOPICS if topic not in wanted]


class DealerPicks(forms.MultipleChoiceField):
    """Picked dealer ids. Any id is accepted here on purpose: the service decides
    whether the rep may reach it (and refuses a forged one with 403)."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return str(value).isdigit()

    def clean(self, value):
        return [int(v) for v in super().clean(value)]


class CampaignForm(forms.Form):
    AUDIENCES = [
        (selectors.ELIGIBLE, _("Dealers eligible for the promotion")),
        (selectors.SEGMENT, _("A segment: tier, region, tenure, organisation")),
        (selectors.NEAR_REWARD, _("Dealers close to the promotion's next reward")),
        (selectors.PICKED, _("Dealers I pick")),
    ]

    promotion = forms.ChoiceField(label=_("Linked promotion"), required=False)
    title_zh = forms.CharField(
        label=_("Title (Chinese)"), max_length=120, required=False
    )
    body_zh = forms.CharField(
        label=_("Message (Chinese)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=120, required=False
    )
    body_en = forms.CharField(
        label=_("Message (English)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    order_now = forms.BooleanField(
        label=_("Add an “order now” button"), required=False, initial=True
    )
    audience = forms.ChoiceField(
        label=_("Who gets it"),
        choices=AUDIENCES,
        widget=forms.RadioSelect,
        initial=selectors.ELIGIBLE,
    )
    tiers = forms.MultipleChoiceField(
        label=_("Tiers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    min_tenure_years = forms.IntegerField(
        label=_("Customer for at least (years)"),
        required=False,
        min_value=0,
        max_value=50,
    )
    org = forms.ChoiceField(label=_("Organisation"), required=False)
    units = forms.IntegerField(
        label=_("At most this many units short"),
        required=False,
        min_value=1,
        max_value=100_000,
        initial=5,
    )
    dealers = DealerPicks(label=_("Dealers"), required=False)
    send_at = forms.DateTimeField(
        label=_("Send at (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, context: selectors.RepContext, **kwargs):
        super().__init__(*args, **kwargs)
        self.context = context
        self.fields["promotion"].choices = [("", _("— none —"))] + [
            (v.promotion.code, f"{v.promotion.code} · {v.name}")
            for v in selectors.rep_promotions(context=context)
        ]
        self.fields["tiers"].choices = [
            (t.code, t.display_name) for t in Tier.objects.all()
        ]
        self.fields["regions"].choices = [
            (r.code, r.display_name) for r in Region.objects.all()
        ]
        self.fields["org"].choices = [("", _("— any —"))] + [
            (o.code, o.display_name)
            for o in SalesOrg.objects.filter(
                path__startswith=context.org.path
            ).order_by("path")
        ]
        # What the checkboxes offer; a manager's long list stays usable on a phone.
        self.fields["dealers"].choices = [
            (d.pk, f"{d.code} {d.name}")
            for d in selectors.rep_scope(context=context).order_by("code")[:300]
        ]

    def clean_send_at(self):
        send_at = self.cleaned_data.get("send_at")
        if send_at is not None and send_at < timezone.now():
            raise forms.ValidationError(
                _("Choose a time in the future, or leave it empty.")
            )
        return send_at

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("audience")
        if kind in (selectors.ELIGIBLE, selectors.NEAR_REWARD) and not cleaned.get(
            "promotion"
        ):
            self.add_error("promotion", _("This audience needs a linked promotion."))
        if kind == selectors.PICKED and not cleaned.get("dealers"):
            self.add_error("dealers", _("Pick at least one dealer."))
        return cleaned

    @property
    def audience_spec(self) -> dict:
        """The audience as the campaign stores it."""
        cleaned = self.cleaned_data
        kind = cleaned.get("audience")
        if kind == selectors.SEGMENT:
            return {
                "type": kind,
                "tiers": cleaned.get("tiers") or [],
                "regions": cleaned.get("regions") or [],
                "min_tenure_years": cleaned.get("min_tenure_years"),
                "org": cleaned.get("org") or None,
            }
        if kind == selectors.NEAR_REWARD:
            return {"type": kind, "units": cleaned.get("units") or 5}
        if kind == selectors.PICKED:
            return {"type": kind, "dealers": sorted(set(cleaned.get("dealers") or []))}
        return {"type": kind}

    @property
    def has_text(self) -> bool:
        cleaned = self.cleaned_data
        return any(
            cleaned.get(f) for f in ("title_zh", "body_zh", "title_en", "body_en")
        )
