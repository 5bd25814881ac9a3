from rest_framework.routers import DefaultRouter

from .views import TicketViewSet

app_name = "support-api"

router = DefaultRouter(trailing_slash=True)
router.register("tickets", TicketViewSet, basename="ticket")
router.include_root_view = False

urlpatterns = router.urls
