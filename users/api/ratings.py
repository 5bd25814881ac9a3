"""REST faces of the members' ratings and reviews: shapes and thin views.

``profiles/me/ratings/`` and ``profiles/me/ratings/<movie_id>/`` (``users.api.urls``),
and ``/api/movies/<id>/reviews/`` (``users.api.movie_urls``, mounted under
/api/movies/ by the project's URLconf, before the catalogue's router). The rules are
``users.services.rating_set`` / ``rating_delete`` and ``users.selectors.review_list``.
"""

from __future__ import annotations

from django.http import Http404
from drf_yasg import openapi
from drf_yasg.utils import swagger_auto_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.ids import parse_id
from movies.api.serializers import MovieSummarySerializer
from movies.models import Movie
from users import selectors, services
from users.models import Rating


class ReviewerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class ReviewSerializer(serializers.ModelSerializer):
    """A review as anyone reads it: ``{id, user: {id, username}, score, review, spoiler,
    hidden, created_at, updated_at}`` (``hidden`` is only ever true for its author)."""

    user = ReviewerSerializer(read_only=True)
    score = serializers.DecimalField(max_digits=2, decimal_places=1, coerce_to_string=False)

    class Meta:
        model = Rating
        fields = ["id", "user", "score", "review", "spoiler", "hidden", "created_at", "updated_at"]
        read_only_fields = fields


class OwnRatingSerializer(ReviewSerializer):
    """The member's own rating, with the movie it is for."""

    movie = MovieSummarySerializer(read_only=True)

    class Meta(ReviewSerializer.Meta):
        fields = ["id", "movie", *ReviewSerializer.Meta.fields[1:]]
        read_only_fields = fields


class RatingWriteSerializer(serializers.Serializer):
    """``PUT {score, review, spoiler}``: the whole rating (a missing review is none)."""

    # Checked by the service (half steps, range), so REST, GraphQL and the pages say the same.
    score = serializers.CharField(help_text="0.5 to 5.0 in steps of 0.5.")
    review = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
        default="",
        help_text="Plain text, at most 5,000 characters.",
    )
    spoiler = serializers.BooleanField(required=False, default=False)


MOVIE_ID = openapi.Parameter("movie_id", openapi.IN_PATH, type=openapi.TYPE_INTEGER)


class OwnRatingList(generics.ListAPIView):
    """The caller's ratings, newest first (hidden reviews too, marked ``hidden``)."""

    serializer_class = OwnRatingSerializer
    permission_classes = [IsAuthenticated]
    queryset = Rating.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return selectors.rating_list(user=self.request.user)


class OwnRating(APIView):
    """PUT rates a movie (``201`` new, ``200`` changed); DELETE removes the rating (``204``,
    also when there was none)."""

    permission_classes = [IsAuthenticated]

    @swagger_auto_schema(
        manual_parameters=[MOVIE_ID],
        request_body=RatingWriteSerializer,
        responses={201: OwnRatingSerializer, 200: OwnRatingSerializer, 400: "Bad input, by field."},
    )
    def put(self, request, movie_id: str):
        serializer = RatingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rating, created = services.rating_set(
            user=request.user, movie_id=movie_id, **serializer.validated_data
        )
        rating = selectors.rating_list(user=request.user).get(pk=rating.pk)
        return Response(
            OwnRatingSerializer(rating, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @swagger_auto_schema(manual_parameters=[MOVIE_ID], responses={204: "Removed (or none)."})
    def delete(self, request, movie_id: str):
        services.rating_delete(user=request.user, movie_id=movie_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MovieReviewList(generics.ListAPIView):
    """A movie's reviews, newest first: ratings with text; hidden ones left out (their
    author still sees theirs, marked ``hidden``)."""

    serializer_class = ReviewSerializer
    permission_classes = [AllowAny]
    queryset = Rating.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        number = parse_id(self.kwargs["movie_id"])
        if number is None or not Movie.objects.filter(pk=number).exists():
            raise Http404
        return selectors.review_list(movie_id=number, viewer=self.request.user)
