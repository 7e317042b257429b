"""Forms of conversations: a message (text, photos, the sender's key), a new
thread, and marking market feedback."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput
from conversations import images
from conversations.models import Thread
from dealers.models import Region


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(attrs={"accept": "image/*", "class": "chat-form__file"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "chat-form__text"}),
    )
    photos = PhotosField(label=_("Photo"), required=False)
    client_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean_photos(self):
        """Too large a photo is refused before it is read (the service reads it)."""
        photos = self.cleaned_data.get("photos") or []
        for photo in photos:
            try:
                images.refuse_size(photo.size)
            except InvalidInput as error:
                raise forms.ValidationError(error.message, code=error.code) from None
        return photos

    def clean(self):
        cleaned = super().clean()
        empty = not (cleaned.get("text") or "").strip() and not cleaned.get("photos")
        if empty and not self.errors:
            raise forms.ValidationError(
                _("Write a message or add a photo."), code="empty"
            )
        return cleaned

    def photo_bytes(self) -> list[bytes]:
        return [photo.read() for photo in self.cleaned_data.get("photos") or []]


def _region_choices():
    return [("", _("My region"))] + [
        (region.code, region.display_name) for region in Region.objects.all()
    ]


class ThreadForm(MessageForm):
    subject = forms.CharField(label=_("Subject"), required=False, max_length=120)
    about = forms.CharField(widget=forms.HiddenInput, required=False)
    feedback = forms.ChoiceField(
        label=_("Is this market feedback?"),
        required=False,
        choices=[("", _("No, a question"))] + list(Thread.Feedback.choices),
    )
    region = forms.ChoiceField(label=_("Seen in region"), required=False)

    field_order = ["subject", "text", "photos", "feedback", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices()


class FeedbackForm(forms.Form):
    feedback = forms.ChoiceField(
        label=_("Market feedback"),
        required=False,
        choices=[("", _("Not feedback"))] + list(Thread.Feedback.choices),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("The dealer's region"))] + [
            (region.code, region.display_name) for region in Region.objects.all()
        ]
