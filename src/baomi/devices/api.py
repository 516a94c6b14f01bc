"""The devices API (/api/v1/devices): the ledgers (api_ledger), removable media (api_media),
password changes (api_passwords), classified systems (api_systems) and the usage log
(api_usage), mounted as sub-routers."""

from ninja import Router

from .api_checks import router as checks_router
from .api_importing import router as importing_router
from .api_ledger import router as ledger_router
from .api_lifecycle import router as lifecycle_router
from .api_media import router as media_router
from .api_passwords import router as passwords_router
from .api_systems import router as systems_router
from .api_usage import router as usage_router

router = Router(tags=["devices"])
# before the ledger: its /devices/{device_id} would take /devices/import
router.add_router("", importing_router)
router.add_router("", ledger_router)
router.add_router("", media_router)
router.add_router("", passwords_router)
router.add_router("", systems_router)
router.add_router("", usage_router)
router.add_router("", lifecycle_router)
router.add_router("", checks_router)
