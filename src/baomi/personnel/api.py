"""The personnel API (/api/v1/personnel): people and posts, onboarding, reports, filing,
trips abroad, and exits with the 脱密期."""

from ninja import Router

from .api_exit import router as exit_router
from .api_filing import router as filing_router
from .api_onboarding import router as onboarding_router
from .api_people import router as people_router
from .api_reports import router as reports_router
from .api_travel import router as travel_router

router = Router(tags=["personnel"])
router.add_router("", people_router)
router.add_router("", onboarding_router)
router.add_router("", reports_router)
router.add_router("", filing_router)
router.add_router("", travel_router)
router.add_router("", exit_router)
