"""The compliance API (/api/v1/compliance): leak incidents (rules I1, I2, `api_incidents`),
for whoever reports one and for the 保密办 and the leaders of their unit, up to their
clearance (rule L5), and the secure rooms of the 保密办 (rule Q7, `api_rooms`). Any other id
is a 404."""

from ninja import Router

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .api_overview import router as overview_router
from .api_incidents import router as incidents_router
from .api_assessments import router as assessments_router
from .api_qualification import router as qualification_router
from .api_firms import router as firms_router
from .api_org import router as org_router
from .api_places import router as places_router
from .api_rooms import router as rooms_router

router = Router(tags=["compliance"])
router.add_router("", incidents_router)  # leak incidents, their report and handling (I1, I2)

router.add_router("", rooms_router)  # secure rooms and their measures (rule Q7)
# Each part mounts its router below: `router.add_router("", <part>_router)` (one line per part).
router.add_router("", overview_router)  # the overview and the annual reports (rule Q5)
router.add_router("", assessments_router)  # scored assessments (rules Q2, Q3)
router.add_router("", qualification_router)  # qualifications, applications, unit changes (Q3, Q4, Q6)
router.add_router("", firms_router)  # outside firms and subcontractors (rules Q8, Q11)
from .api_publications import router as publications_router  # noqa: E402

router.add_router("", publications_router)  # publication review (rule Q12)
router.add_router("", org_router)  # the 保密委员会 and its meetings (rule Q1)
router.add_router("", places_router)  # key places and classified meetings (rules M1, M2)
