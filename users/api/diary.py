"""REST faces of the watchlist's neighbours: the diary and the public profiles.

``profiles/me/diary/`` and ``profiles/me/diary/<id>/`` (the owner's only: anyone
else's entry is a 404) and ``public/<username>/``. The rules are
``users.services.diary_log`` / ``diary_update`` / ``diary_delete`` and
``users.selectors.diary_entry_get`` / ``public_profile_get``.
"""

from __future__ import annotations

from django.http import Http404
from drf_yasg.utils import swagger_auto_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from movies.api.serializers import MovieSummarySerializer
from users import selectors, services
from users.models import DiaryEntry

from .ratings import OwnRatingSerializer

NOT_FOUND = "No such entry, or not yours."


class DiaryEntrySerializer(serializers.ModelSerializer):
    """``{id, movie: {id, title, rating, image}, watched_on, rewatch, note, created_at,
    updated_at}``."""

    movie = MovieSummarySerializer(read_only=True)

    class Meta:
        model = DiaryEntry
        fields = ["id", "movie", "watched_on", "rewatch", "note", "created_at", "updated_at"]
        read_only_fields = fields


class DiaryWriteSerializer(serializers.Serializer):
    """``{movie_id, watched_on, rewatch, note}``; the values are checked by the service
    (a future day, a long note, an unknown movie: 400 naming the field)."""

    movie_id = serializers.JSONField(help_text="The movie watched (its id).")
    watched_on = serializers.JSONField(
        required=False, help_text="YYYY-MM-DD; today by default; never in the future."
    )
    rewatch = serializers.BooleanField(required=False, help_text="Seen before. Default false.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
        help_text="Plain text, at most 500 characters.",
    )


class DiaryPatchSerializer(DiaryWriteSerializer):
    """A change to an entry: ``watched_on``, ``rewatch``, ``note`` (the movie stays)."""

    movie_id = None


class OwnDiary(generics.ListCreateAPIView):
    """GET the caller's diary, newest ``watched_on`` first (paginated); POST logs a
    watch, which also marks the movie watched and takes it off the watchlist."""

    serializer_class = DiaryEntrySerializer
    permission_classes = [IsAuthenticated]
    queryset = DiaryEntry.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return selectors.diary_list(user=self.request.user)

    @swagger_auto_schema(
        request_body=DiaryWriteSerializer,
        responses={201: DiaryEntrySerializer, 400: "Bad input, by field."},
    )
    def post(self, request, *args, **kwargs):
        serializer = DiaryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.diary_log(user=request.user, **serializer.validated_data)
        entry = selectors.diary_entry_get(user=request.user, entry_id=entry.pk)
        return Response(
            DiaryEntrySerializer(entry, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class OwnDiaryEntry(APIView):
    """One entry of the caller's diary: GET, PATCH, DELETE. Another member's entry is a
    404, as an unknown one."""

    permission_classes = [IsAuthenticated]

    def _entry(self, request, entry_id: str) -> DiaryEntry:
        entry = selectors.diary_entry_get(user=request.user, entry_id=entry_id)
        if entry is None:
            raise Http404(NOT_FOUND)
        return entry

    @swagger_auto_schema(responses={200: DiaryEntrySerializer, 404: NOT_FOUND})
    def get(self, request, entry_id: str):
        entry = self._entry(request, entry_id)
        return Response(DiaryEntrySerializer(entry, context={"request": request}).data)

    @swagger_auto_schema(
        request_body=DiaryPatchSerializer,
        responses={200: DiaryEntrySerializer, 400: "Bad input, by field.", 404: NOT_FOUND},
    )
    def patch(self, request, entry_id: str):
        entry = self._entry(request, entry_id)
        serializer = DiaryPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.diary_update(entry=entry, **serializer.validated_data)
        entry = self._entry(request, entry_id)
        return Response(DiaryEntrySerializer(entry, context={"request": request}).data)

    @swagger_auto_schema(responses={204: "Removed.", 404: NOT_FOUND})
    def delete(self, request, entry_id: str):
        services.diary_delete(entry=self._entry(request, entry_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Public profiles ---------------------------------------------------------------------


class PublicDiarySerializer(serializers.ModelSerializer):
    movie = MovieSummarySerializer(read_only=True)

    class Meta:
        model = DiaryEntry
        fields = ["id", "movie", "watched_on", "rewatch", "note"]
        read_only_fields = fields


class PublicReviewSerializer(OwnRatingSerializer):
    class Meta(OwnRatingSerializer.Meta):
        fields = [f for f in OwnRatingSerializer.Meta.fields if f not in ("user", "hidden")]
        read_only_fields = fields


class PublicProfileSerializer(serializers.Serializer):
    """``{username, favorite_movies, ratings_count, recent_diary, recent_reviews}``:
    never an email or a phone number."""

    username = serializers.CharField(source="user.username", read_only=True)
    favorite_movies = MovieSummarySerializer(many=True, read_only=True)
    ratings_count = serializers.IntegerField(read_only=True)
    recent_diary = PublicDiarySerializer(many=True, read_only=True)
    recent_reviews = PublicReviewSerializer(many=True, read_only=True)


class PublicProfile(APIView):
    """A member's public profile; ``404`` unless they made it public (a private and an
    unknown name look the same)."""

    permission_classes = [AllowAny]

    @swagger_auto_schema(responses={200: PublicProfileSerializer, 404: "No public profile."})
    def get(self, request, username: str):
        profile = selectors.public_profile_get(username=username)
        if profile is None:
            raise Http404("No public profile.")
        profile.recent_diary = selectors.public_recent_diary(profile=profile)
        profile.recent_reviews = selectors.public_recent_reviews(profile=profile)
        return Response(PublicProfileSerializer(profile, context={"request": request}).data)
