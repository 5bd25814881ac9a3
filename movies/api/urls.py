from rest_framework.routers import DefaultRouter

from .views import ActorViewSet, GenreViewSet, MovieViewSet

app_name = "movies-api"

router = DefaultRouter(trailing_slash=True)
# genres/ and actors/ first, so they are not read as a movie id.
router.register("genres", GenreViewSet, basename="genre")
router.register("actors", ActorViewSet, basename="actor")
router.register("", MovieViewSet, basename="movie")
router.include_root_view = False

urlpatterns = router.urls
