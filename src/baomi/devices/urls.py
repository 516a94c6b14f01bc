"""Pages of the devices app: the ledgers (urls_ledger), removable media (urls_media),
password changes (urls_passwords), classified systems (urls_systems) and the usage log
(urls_usage)."""

from .urls_checks import urlpatterns as check_urls
from .urls_importing import urlpatterns as importing_urls
from .urls_ledger import urlpatterns as ledger_urls
from .urls_lifecycle import urlpatterns as lifecycle_urls
from .urls_media import urlpatterns as media_urls
from .urls_passwords import urlpatterns as password_urls
from .urls_systems import urlpatterns as system_urls
from .urls_usage import urlpatterns as usage_urls

app_name = "devices"
urlpatterns = [*ledger_urls, *media_urls, *password_urls, *system_urls, *importing_urls, *usage_urls,
               *lifecycle_urls, *check_urls]
