"""Personnel pages: posts and the person ledger (urls_people), onboarding (urls_onboarding)."""

from . import urls_onboarding, urls_people

app_name = "personnel"
urlpatterns = [*urls_people.urlpatterns, *urls_onboarding.urlpatterns]
