"""Fixtures shared by the catalogue's tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from .factories import ActorFactory, GenreFactory, MovieFactory
from .images import image_upload


@pytest.fixture
def movies_of_every_kind():
    """No poster; a poster; accents and other scripts everywhere; an empty cast; a
    rating of 0 and of 5; a plot with quotes, line breaks and U+2028; a release date and
    none, a runtime and none; directors; characters (and an empty one) with billing
    orders out of name order; a members' rating and none."""
    drama = GenreFactory(name="Drama")
    cine = GenreFactory(name="Ciné-vérité")
    zoe = ActorFactory(name="Zoë Ångström")
    ana = ActorFactory(name="Ana Núñez")
    ken = ActorFactory(name="渡辺 謙")
    plain = MovieFactory(title="Plain", rating=Decimal("3.5"), genres=[drama], actors=[zoe])
    poster = MovieFactory(title="With a poster", rating=Decimal("5.0"), genres=[drama, cine])
    poster.image.save("poster.png", image_upload(), save=True)
    accents = MovieFactory(
        title="Reykjavík, Señor “Ölmez” — 東京",
        plot_summary='Line one\nLine "two"\u2028and <three> & \\ four',
        rating=Decimal("0.0"),
        genres=[cine],
        cast=[(zoe, "Þóra"), (ken, ""), (ana, "La “Señora”")],
        directors=[ken, ana],
        release_date=date(1994, 9, 23),
        runtime=142,
        members_rating_average=Decimal("3.75"),
        members_rating_count=12,
    )
    empty = MovieFactory(title="Nobody in it", plot_summary="", genres=[], actors=[])
    return [plain, poster, accents, empty]
