"""The floor: what bare Django does for the same 20 movies, with nothing on top.

Raw SQL (one query for the page, one a relation), dicts, ``JsonResponse``: no DRF, no
ORM models, no cache. ``bench/load.py`` serves it next to the project (only the bench
settings mount it) and reports every endpoint as a share of its requests per second.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse


def _nested(sql: str, ids: list[int]) -> dict[int, list]:
    placeholders = ", ".join(["%s"] * len(ids))
    out: dict[int, list] = {movie_id: [] for movie_id in ids}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=placeholders), ids)
        for movie_id, *rest in cursor.fetchall():
            out[movie_id].append(rest)
    return out


def floor(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, title, plot_summary, image, rating, created_at, release_date, runtime,"
            " members_rating_average, members_rating_count FROM movies_movie"
            " ORDER BY created_at DESC, id DESC LIMIT 20"
        )
        rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    genres = _nested(
        "SELECT l.movie_id, g.id, g.name FROM movies_movie_genres l"
        " JOIN movies_genre g ON g.id = l.genre_id WHERE l.movie_id IN ({ids})"
        " ORDER BY g.name, g.id",
        ids,
    )
    cast = _nested(
        'SELECT c.movie_id, p.id, p.name, c.character, c."order" FROM movies_castmember c'
        " JOIN movies_person p ON p.id = c.person_id WHERE c.movie_id IN ({ids})"
        ' ORDER BY c."order", c.id',
        ids,
    )
    directors = _nested(
        "SELECT l.movie_id, p.id, p.name FROM movies_movie_directors l"
        " JOIN movies_person p ON p.id = l.person_id WHERE l.movie_id IN ({ids})"
        " ORDER BY p.name, p.id",
        ids,
    )
    results = [
        {
            "id": movie_id,
            "title": title,
            "plot_summary": plot,
            "image": request.build_absolute_uri("/media/" + image) if image else None,
            "rating": float(rating),
            "genres": [{"id": g, "name": n} for g, n in genres[movie_id]],
            "actors": [{"id": p, "name": n} for p, n, _c, _o in cast[movie_id]],
            "created_at": str(created),
            "release_date": str(release) if release else None,
            "runtime": runtime,
            "directors": [{"id": p, "name": n} for p, n in directors[movie_id]],
            "cast": [
                {"id": p, "name": n, "character": c, "order": o} for p, n, c, o in cast[movie_id]
            ],
            "members_rating": {
                "average": float(average) if average is not None else None,
                "count": count,
            },
        }
        for (
            movie_id,
            title,
            plot,
            image,
            rating,
            created,
            release,
            runtime,
            average,
            count,
        ) in rows
    ]
    return JsonResponse({"count": len(results), "results": results})
