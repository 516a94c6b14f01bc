"""Pages of the devices app: the ledgers (urls_ledger), removable media (urls_media),
password changes (urls_passwords) and classified systems (urls_systems)."""

from .urls_ledger import urlpatterns as ledger_urls
from .urls_media import urlpatterns as media_urls
from .urls_passwords import urlpatterns as password_urls
from .urls_systems import urlpatterns as system_urls

app_name = "devices"
urlpatterns = [*ledger_urls, *media_urls, *password_urls, *system_urls]
