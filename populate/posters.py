"""Posters drawn with Pillow: a gradient, the title in large type, genres and rating."""

from __future__ import annotations

import functools
import io
import re
import unicodedata

from PIL import Image, ImageDraw, ImageFont

from .data import MovieSpec

POSTER_SIZE = (360, 540)


@functools.cache
def poster_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font at ``size`` pixels, loaded once per size (each poster
    tries several sizes, and loading parses the font again)."""
    return ImageFont.load_default(size=size)


_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {
        "Æ": "AE",
        "æ": "ae",
        "Ø": "O",
        "ø": "o",
        "ß": "ss",
        "Œ": "OE",
        "œ": "oe",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
    }
)


def poster_text(text: str) -> str:
    """``text`` as Pillow's built-in font can draw it: it has ASCII glyphs only, so
    accents are dropped ("Valparaíso" -> "Valparaiso") rather than drawn as boxes."""
    folded = unicodedata.normalize("NFKD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    return "".join(char for char in folded if char.isascii())


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, max_width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def draw_poster(spec: MovieSpec, size: tuple[int, int] = POSTER_SIZE) -> bytes:
    """A PNG poster: a vertical gradient between the movie's two colours, its title
    centred in large type, its genres at the head and its rating at the foot."""
    width, height = size
    top, bottom = spec.colours
    mask = Image.linear_gradient("L").resize(size)  # 0 at the top, 255 at the foot
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)
    draw = ImageDraw.Draw(image)
    margin = width // 10
    draw.rectangle(
        (margin // 2, margin // 2, width - margin // 2, height - margin // 2),
        outline=(255, 255, 255),
        width=2,
    )

    font_size = width // 6
    while True:
        font = poster_font(font_size)
        lines = _wrap(draw, poster_text(spec.title), font, width - 2 * margin)
        widest = max(draw.textlength(line, font=font) for line in lines)
        line_height = int(font_size * 1.2)
        if (widest <= width - 2 * margin and line_height * len(lines) <= height * 0.6) or (
            font_size <= 12
        ):
            break
        font_size -= 2
    y = (height - line_height * len(lines)) // 2
    for line in lines:
        draw.text(
            (width / 2, y + line_height / 2),
            line,
            font=font,
            anchor="mm",
            fill=(255, 255, 255),
            stroke_width=max(1, font_size // 18),
            stroke_fill=(20, 20, 20),
        )
        y += line_height
    for text, y in (
        (poster_text(" / ".join(spec.genres).upper()), margin * 1.2),
        (f"{spec.rating} / 5", height - margin * 1.2),
    ):
        size_px = max(10, width // 20)
        while (
            size_px > 10 and draw.textlength(text, font=poster_font(size_px)) > width - 2 * margin
        ):
            size_px -= 1
        draw.text(
            (width / 2, y),
            text,
            font=poster_font(size_px),
            anchor="mm",
            fill=(255, 255, 255),
            stroke_width=1,
            stroke_fill=(20, 20, 20),
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def poster_filename(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-") or "poster"
    return f"{slug[:80]}.png"
