"""The devices API (/api/v1/devices): the ledgers (api_ledger), removable media (api_media),
password changes (api_passwords) and classified systems (api_systems), mounted as
sub-routers."""

from ninja import Router

from .api_ledger import router as ledger_router
from .api_media import router as media_router
from .api_passwords import router as passwords_router
from .api_systems import router as systems_router

router = Router(tags=["devices"])
router.add_router("", ledger_router)
router.add_router("", media_router)
router.add_router("", passwords_router)
router.add_router("", systems_router)
