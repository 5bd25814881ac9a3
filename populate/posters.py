"""Posters drawn with Pillow in the style of each movie's main genre: a picture,
the title in large type and the director's credit; never a rating or a genre name."""

from __future__ import annotations

import functools
import io
import math
import random
import re
import unicodedata
from dataclasses import dataclass

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


RGB = tuple[int, int, int]


@dataclass(frozen=True)
class PosterStyle:
    """How a genre's posters look: colours, the picture behind the title, the type."""

    sky: RGB  # top of the background
    ground: RGB  # foot of the background
    accent: RGB  # the picture's colour
    ink: RGB  # the title's colour
    motif: str  # see _MOTIFS
    title_at: float  # the title block's centre, as a fraction of the height
    upper: bool  # title in capitals
    credit: str  # how the director is credited


POSTER_STYLES: dict[str, PosterStyle] = {
    "Action": PosterStyle((25, 25, 35), (160, 40, 20), (255, 140, 0), (255, 235, 200),
                          "streaks", 0.74, True, "DIRECTED BY"),
    "Adventure": PosterStyle((240, 170, 80), (60, 90, 60), (250, 230, 150), (255, 250, 235),
                             "mountains", 0.22, True, "A FILM BY"),
    "Animation": PosterStyle((120, 200, 240), (250, 220, 120), (255, 255, 255), (40, 40, 90),
                             "bubbles", 0.78, False, "A film by"),
    "Comedy": PosterStyle((255, 215, 60), (255, 150, 60), (255, 255, 255), (60, 30, 90),
                          "rays", 0.5, False, "Directed by"),
    "Crime": PosterStyle((15, 15, 15), (70, 60, 40), (200, 30, 30), (240, 240, 240),
                         "blinds", 0.8, True, "DIRECTED BY"),
    "Documentary": PosterStyle((235, 232, 225), (200, 195, 185), (40, 40, 40), (30, 30, 30),
                               "frame", 0.72, True, "A FILM BY"),
    "Drama": PosterStyle((60, 70, 90), (200, 170, 140), (240, 220, 190), (255, 250, 240),
                         "horizon", 0.78, False, "A film by"),
    "Fantasy": PosterStyle((30, 20, 70), (120, 60, 140), (230, 200, 110), (255, 230, 150),
                           "moon", 0.76, True, "A FILM BY"),
    "Horror": PosterStyle((5, 5, 5), (60, 0, 0), (150, 0, 0), (230, 220, 210),
                          "drips", 0.5, True, "DIRECTED BY"),
    "Mystery": PosterStyle((20, 30, 50), (50, 70, 90), (230, 210, 150), (240, 230, 200),
                           "keyhole", 0.8, True, "DIRECTED BY"),
    "Romance": PosterStyle((250, 200, 200), (180, 80, 120), (255, 240, 240), (255, 255, 255),
                           "hearts", 0.3, False, "A film by"),
    "Science Fiction": PosterStyle((5, 10, 30), (20, 60, 110), (120, 220, 255), (200, 240, 255),
                                   "planet", 0.2, True, "DIRECTED BY"),
    "Thriller": PosterStyle((20, 20, 25), (40, 60, 70), (240, 240, 240), (255, 255, 255),
                            "split", 0.5, True, "DIRECTED BY"),
}  # fmt: skip
DEFAULT_STYLE = POSTER_STYLES["Drama"]


def _shift(colour: RGB, rng: random.Random, spread: int = 25) -> RGB:
    return tuple(max(0, min(255, c + rng.randint(-spread, spread))) for c in colour)  # type: ignore[return-value]


def _streaks(draw, w, h, colour, rng):
    for _ in range(14):
        x, y = rng.randint(-w // 2, w), rng.randint(0, h)
        draw.line((x, y, x + w, y - w // 2), fill=colour, width=rng.randint(1, 5))


def _mountains(draw, w, h, colour, rng):
    for layer, shade in enumerate((0.55, 0.35)):
        base = int(h * (0.62 + 0.12 * layer))
        points = [(0, h), (0, base)]
        x = 0
        while x < w:
            x += rng.randint(w // 6, w // 3)
            points.append((x, base - rng.randint(h // 12, h // 4)))
            x += rng.randint(w // 8, w // 4)
            points.append((x, base))
        points += [(w, base), (w, h)]
        draw.polygon(points, fill=tuple(int(c * shade) for c in colour))


def _bubbles(draw, w, h, colour, rng):
    for _ in range(12):
        r = rng.randint(w // 20, w // 6)
        x, y = rng.randint(0, w), rng.randint(0, int(h * 0.6))
        draw.ellipse((x - r, y - r, x + r, y + r), outline=colour, width=3)


def _rays(draw, w, h, colour, rng):
    cx, cy = w / 2, h / 2
    for i in range(0, 360, 20):
        a, b = math.radians(i), math.radians(i + 10)
        draw.polygon(
            [(cx, cy), (cx + 2 * h * math.cos(a), cy + 2 * h * math.sin(a)),
             (cx + 2 * h * math.cos(b), cy + 2 * h * math.sin(b))],
            fill=colour,
        )  # fmt: skip


def _blinds(draw, w, h, colour, rng):
    for y in range(h // 10, int(h * 0.6), h // 22):
        draw.line((0, y, w, y + h // 12), fill=(0, 0, 0), width=h // 60)
    r = w // 5
    draw.ellipse((w // 2 - r, h // 3 - r, w // 2 + r, h // 3 + r), fill=colour)


def _frame(draw, w, h, colour, rng):
    m = w // 12
    draw.rectangle((m, m, w - m, int(h * 0.6)), fill=_shift((110, 110, 110), rng, 40))
    draw.rectangle((m, m, w - m, int(h * 0.6)), outline=colour, width=3)


def _horizon(draw, w, h, colour, rng):
    y = int(h * 0.58)
    r = w // 4
    draw.ellipse((w // 2 - r, y - r, w // 2 + r, y + r), fill=colour)
    draw.rectangle((0, y, w, h), fill=tuple(c // 3 for c in colour))


def _moon(draw, w, h, colour, rng):
    for _ in range(40):
        x, y = rng.randint(0, w), rng.randint(0, int(h * 0.6))
        draw.point((x, y), fill=(255, 255, 255))
    r = w // 4
    draw.ellipse((w // 2 - r, h // 4 - r, w // 2 + r, h // 4 + r), fill=colour)
    draw.polygon([(0, h), (w // 3, int(h * 0.55)), (w // 2, int(h * 0.65)),
                  (2 * w // 3, int(h * 0.5)), (w, h)], fill=(15, 10, 35))  # fmt: skip


def _drips(draw, w, h, colour, rng):
    draw.rectangle((0, 0, w, h // 12), fill=colour)
    for x in range(0, w, w // 14):
        length = rng.randint(h // 20, h // 3)
        draw.rectangle((x, 0, x + w // 40, length), fill=colour)
        draw.ellipse((x - 2, length - 6, x + w // 40 + 2, length + 6), fill=colour)


def _keyhole(draw, w, h, colour, rng):
    r = w // 7
    cx, cy = w // 2, h // 3
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    draw.polygon([(cx - r // 2, cy), (cx + r // 2, cy), (cx + r, cy + 3 * r),
                  (cx - r, cy + 3 * r)], fill=colour)  # fmt: skip


def _hearts(draw, w, h, colour, rng):
    for _ in range(10):
        r = rng.randint(w // 30, w // 12)
        x, y = rng.randint(0, w), rng.randint(int(h * 0.45), h)
        draw.ellipse((x - r, y - r, x, y), fill=colour)
        draw.ellipse((x, y - r, x + r, y), fill=colour)
        draw.polygon([(x - r, y - r // 2), (x + r, y - r // 2), (x, y + r)], fill=colour)


def _planet(draw, w, h, colour, rng):
    for _ in range(60):
        draw.point((rng.randint(0, w), rng.randint(0, h)), fill=(255, 255, 255))
    r = w // 2
    cx, cy = w // 2, int(h * 0.85)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(c // 2 for c in colour))
    draw.arc((cx - r - 30, cy - r // 3, cx + r + 30, cy + r // 3), 180, 360, fill=colour, width=3)


def _split(draw, w, h, colour, rng):
    draw.polygon([(0, 0), (w * 0.6, 0), (w * 0.4, h), (0, h)], fill=(0, 0, 0))
    draw.line((w * 0.6, 0, w * 0.4, h), fill=colour, width=3)


_MOTIFS = {
    "streaks": _streaks, "mountains": _mountains, "bubbles": _bubbles, "rays": _rays,
    "blinds": _blinds, "frame": _frame, "horizon": _horizon, "moon": _moon, "drips": _drips,
    "keyhole": _keyhole, "hearts": _hearts, "planet": _planet, "split": _split,
}  # fmt: skip


def _outline(ink: RGB) -> RGB:
    """A dark outline round light type, a light one round dark type."""
    return (245, 245, 245) if sum(ink) < 300 else (10, 10, 10)


def poster_style(spec: MovieSpec) -> PosterStyle:
    """The look of the movie's main (first) genre."""
    return POSTER_STYLES.get(spec.genres[0] if spec.genres else "", DEFAULT_STYLE)


def _fit(draw, text: str, largest: int, smallest: int, max_width: float, max_height: float):
    """The largest font size at which ``text`` wraps into the box; its lines."""
    size = largest
    while True:
        font = poster_font(size)
        lines = _wrap(draw, text, font, max_width)
        widest = max(draw.textlength(line, font=font) for line in lines)
        if (widest <= max_width and int(size * 1.15) * len(lines) <= max_height) or (
            size <= smallest
        ):
            return size, font, lines
        size -= 2


def draw_poster(spec: MovieSpec, size: tuple[int, int] = POSTER_SIZE) -> bytes:
    """A PNG poster in the style of the movie's main genre: a background gradient, a
    picture (a motif of the genre), the title in large type and the director's credit.
    Nothing on it can go stale: no rating, no genre names. The same movie always
    gets the same poster."""
    width, height = size
    style = poster_style(spec)
    rng = random.Random(f"poster:{spec.title}")
    mask = Image.linear_gradient("L").resize(size)  # 0 at the top, 255 at the foot
    image = Image.composite(
        Image.new("RGB", size, _shift(style.ground, rng)),
        Image.new("RGB", size, _shift(style.sky, rng)),
        mask,
    )
    draw = ImageDraw.Draw(image)
    _MOTIFS[style.motif](draw, width, height, _shift(style.accent, rng, 15), rng)
    # a soft band behind the title keeps it readable on any picture
    margin = width // 12
    title = poster_text(spec.title)
    title = title.upper() if style.upper else title
    font_size, font, lines = _fit(draw, title, width // 6, 14, width - 2 * margin, height * 0.3)
    line_height = int(font_size * 1.15)
    block = line_height * len(lines)
    centre = height * style.title_at
    top = max(margin, min(height - 2.2 * margin - block, centre - block / 2))
    band = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(band).rectangle(
        (0, top - margin / 3, width, top + block + margin / 3), fill=(0, 0, 0, 70)
    )
    image = Image.alpha_composite(image.convert("RGBA"), band).convert("RGB")
    draw = ImageDraw.Draw(image)
    y = top
    for line in lines:
        draw.text(
            (width / 2, y + line_height / 2),
            line,
            font=font,
            anchor="mm",
            fill=style.ink,
            stroke_width=max(1, font_size // 20),
            stroke_fill=_outline(style.ink),
        )
        y += line_height
    if spec.directors:
        credit = f"{style.credit} {' & '.join(spec.directors)}"
        credit = poster_text(credit.upper() if style.upper else credit)
        credit_size, credit_font, credit_lines = _fit(
            draw, credit, max(11, width // 24), 10, width - 2 * margin, height * 0.08
        )
        y = height - margin - int(credit_size * 1.15) * len(credit_lines)
        for line in credit_lines:
            draw.text(
                (width / 2, y),
                line,
                font=credit_font,
                anchor="mt",
                fill=style.ink,
                stroke_width=1,
                stroke_fill=_outline(style.ink),
            )
            y += int(credit_size * 1.15)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def poster_filename(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-") or "poster"
    return f"{slug[:80]}.png"
