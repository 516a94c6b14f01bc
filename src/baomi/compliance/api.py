"""The compliance API (/api/v1/compliance), one router per part, each applying its own access
rules (the 保密办 and leaders of a unit, up to their clearance, rule L5; any other id is a 404):
leak incidents (rules I1, I2), secure rooms (Q7), the overview and annual reports (Q5),
inspections and rectifications (Q9, Q10), scored assessments (Q2, Q3), qualifications and unit
changes (Q3, Q4, Q6), outside firms (Q8, Q11), publication review (Q12), the 保密委员会 (Q1),
key places and classified meetings (M1, M2)."""

from ninja import Router

from .api_assessments import router as assessments_router
from .api_firms import router as firms_router
from .api_incidents import router as incidents_router
from .api_inspections import router as inspections_router
from .api_org import router as org_router
from .api_overview import router as overview_router
from .api_places import router as places_router
from .api_publications import router as publications_router
from .api_qualification import router as qualification_router
from .api_rooms import router as rooms_router

router = Router(tags=["compliance"])
for part in (incidents_router, rooms_router, overview_router, inspections_router,
             assessments_router, qualification_router, firms_router, publications_router,
             org_router, places_router):
    router.add_router("", part)
