"""Pages of the devices app: the ledgers (urls_ledger) and removable media (urls_media)."""

from .urls_ledger import urlpatterns as ledger_urls
from .urls_media import urlpatterns as media_urls

app_name = "devices"
urlpatterns = [*ledger_urls, *media_urls]
