"""The devices API (/api/v1/devices): the ledgers (api_ledger) and removable media
(api_media), mounted as sub-routers."""

from ninja import Router

from .api_ledger import router as ledger_router
from .api_media import router as media_router

router = Router(tags=["devices"])
router.add_router("", ledger_router)
router.add_router("", media_router)
