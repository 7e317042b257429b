"""Photos from a phone camera, made safe to keep: the type is read from the bytes
(not the name), the size and the pixel count are bounded, the picture is turned
upright, scaled down and written again as JPEG, which drops every metadata block
(EXIF with its GPS position, XMP, text chunks)."""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from common.errors import InvalidInput
from conversations import conf

READABLE = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: what some phone cameras write


@dataclass(frozen=True)
class Photo:
    content: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def refuse_size(size: int) -> None:
    """``InvalidInput`` for a photo of more than ``PHOTO_MAX_BYTES``."""
    limit = conf.get("PHOTO_MAX_BYTES")
    if size > limit:
        raise InvalidInput(
            _("The photo is %(size)s MB; send one of at most %(limit)s MB.")
            % {"size": round(size / 1_048_576, 1), "limit": limit // 1_048_576},
            code="photo_too_large",
        )


def photo_clean(data: bytes) -> Photo:
    """The photo as it is kept, or ``InvalidInput`` saying what is wrong with it."""
    refuse_size(len(data))
    not_a_photo = InvalidInput(
        _("That file is not a photo. Send a JPEG, PNG or WebP picture."),
        code="not_a_photo",
    )
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in READABLE:
            raise not_a_photo
        if image.width * image.height > conf.get("PHOTO_MAX_PIXELS"):
            raise InvalidInput(
                _("The picture is too large to read; send a smaller photo."),
                code="photo_too_large",
            )
        image.load()
        image = ImageOps.exif_transpose(image)
        side = conf.get("PHOTO_MAX_SIDE")
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
        if image.mode in {"RGBA", "LA", "P"}:
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, optimize=True)  # no exif= : none kept
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    return Photo(content=out.getvalue(), width=image.width, height=image.height)
