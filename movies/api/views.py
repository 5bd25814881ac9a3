"""REST views of the catalogue: thin ModelViewSets over the selectors and services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_yasg import openapi
from drf_yasg.utils import swagger_auto_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.api.filters import FilterBackend
from core.api.permissions import IsAdminOrReadOnly
from core.ids import parse_id
from movies import representations, selectors, services
from movies.filters import ActorFilter, GenreFilter, MovieFilter
from movies.models import Movie

from .serializers import (
    ActorSerializer,
    GenreSerializer,
    MovieSerializer,
    MovieSuggestionSerializer,
    MovieWriteSerializer,
    SuggestQuerySerializer,
)

SIMILAR_LIMIT = openapi.Parameter(
    "limit", openapi.IN_QUERY, type=openapi.TYPE_INTEGER, description="Default 8, at most 20."
)


class MovieViewSet(viewsets.ModelViewSet):
    """Movies: anyone may read; admins create, change and delete."""

    catalogue_read = "get"  # core.http_cache: anonymous reads cached, ETag, 304
    permission_classes = [IsAdminOrReadOnly]
    filter_backends = [FilterBackend]  # no FilterSet built for an unfiltered list
    filterset_class = MovieFilter
    serializer_class = MovieSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.movie_queryset()

    # Reads: the lean path (columns only, dicts built by movies.representations).
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(selectors.movie_base_queryset())
        values = selectors.movie_values(queryset)
        page = self.paginate_queryset(values)
        rows = selectors.movie_rows(values if page is None else page)
        return self.get_paginated_response(representations.movies(rows, request))

    def retrieve(self, request, *args, **kwargs):
        return self._read(self.kwargs["pk"])

    def _read(self, movie_id, status_code=status.HTTP_200_OK) -> Response:
        row = selectors.movie_row(movie_id=movie_id)
        if row is None:
            raise NotFound()
        return Response(representations.movie(row, self.request), status=status_code)

    @swagger_auto_schema(request_body=MovieWriteSerializer, responses={201: MovieSerializer})
    def create(self, request, *args, **kwargs):
        serializer = MovieWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        movie = services.movie_create(**serializer.to_service_kwargs())
        return self._read(movie.pk, status.HTTP_201_CREATED)

    @swagger_auto_schema(request_body=MovieWriteSerializer, responses={200: MovieSerializer})
    def update(self, request, *args, **kwargs):
        movie = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = MovieWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.movie_update(movie=movie, **serializer.to_service_kwargs())
        return self._read(movie.pk)

    @swagger_auto_schema(request_body=MovieWriteSerializer, responses={200: MovieSerializer})
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.movie_delete(movie=instance)

    @swagger_auto_schema(
        query_serializer=SuggestQuerySerializer,
        responses={200: MovieSuggestionSerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[permissions.AllowAny],
        pagination_class=None,
        filter_backends=[],
    )
    def suggest(self, request):
        """Titles for a search box as the user types ``q``: starts of titles, then typos.

        Public, not paginated; fewer than 2 characters give ``[]``.
        """
        query = SuggestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        movies = selectors.movie_suggestions(
            q=query.validated_data["q"], limit=query.validated_data["limit"]
        )
        return Response(
            MovieSuggestionSerializer(movies, many=True, context={"request": request}).data
        )

    @swagger_auto_schema(
        manual_parameters=[SIMILAR_LIMIT],
        responses={200: MovieSerializer(many=True), 400: "A bad limit.", 404: "No such movie."},
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[permissions.AllowAny],
        pagination_class=None,
        filter_backends=[],
    )
    def similar(self, request, pk=None):
        """Movies sharing the most genres, cast and directors with this one, then by the
        members' rating; never itself. ``limit`` (default 8) is served at most 20. Not
        paginated."""
        raw = request.query_params.get("limit", "")
        limit = selectors.SIMILAR_DEFAULT if raw == "" else parse_id(raw)
        if limit is None and raw.strip() != "0":
            raise ValidationError({"limit": ["Give a whole number from 0 to 20."]})
        movie = get_object_or_404(Movie.objects.only("id"), pk=parse_id(pk))
        movies = selectors.similar_movie_list(movie_id=movie.pk, limit=limit or 0)
        return Response(self.get_serializer(movies, many=True).data)


class NamedReadMixin:
    """Lean reads for ``{id, name}`` resources: only those columns, no instances."""

    def list(self, request, *args, **kwargs):
        queryset = selectors.named_rows(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(list(queryset if page is None else page))

    def retrieve(self, request, *args, **kwargs):
        row = selectors.named_rows(self.get_queryset().filter(pk=self.kwargs["pk"])).first()
        if row is None:
            raise NotFound()
        return Response(row)


class GenreViewSet(NamedReadMixin, viewsets.ModelViewSet):
    """Genres: ``{id, name}``, names unique ignoring case; anyone reads, admins write."""

    catalogue_read = "get"  # core.http_cache: anonymous reads cached, ETag, 304
    permission_classes = [IsAdminOrReadOnly]
    serializer_class = GenreSerializer
    filter_backends = [FilterBackend]
    filterset_class = GenreFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.genre_list()

    def perform_create(self, serializer):
        serializer.instance = services.genre_create(**serializer.validated_data)

    def perform_update(self, serializer):
        genre = serializer.instance
        name = serializer.validated_data.get("name", genre.name)
        serializer.instance = services.genre_update(genre=genre, name=name)

    def perform_destroy(self, instance):
        services.genre_delete(genre=instance)


class ActorViewSet(NamedReadMixin, viewsets.ModelViewSet):
    """Actors: ``{id, name}``; anyone reads, admins write."""

    catalogue_read = "get"  # core.http_cache: anonymous reads cached, ETag, 304
    permission_classes = [IsAdminOrReadOnly]
    serializer_class = ActorSerializer
    filter_backends = [FilterBackend]
    filterset_class = ActorFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.actor_list()

    def perform_create(self, serializer):
        serializer.instance = services.actor_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.actor_update(
            actor=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.actor_delete(actor=instance)
