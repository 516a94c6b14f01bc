"""The compliance API (/api/v1/compliance), one router per part, each applying its own access
rules (the 保密办 and leaders of a unit, up to their clearance, rule L5; any other id is a 404):
leak incidents (rules I1, I2), secure rooms (Q7), the overview and annual reports (Q5), scored
assessments (Q2, Q3), qualifications and unit changes (Q3, Q4, Q6), outside firms (Q8, Q11),
publication review (Q12), the 保密委员会 (Q1), key places and classified meetings (M1, M2)."""

from ninja import Router

from .api_assessments import router as assessments_router
from .api_firms import router as firms_router
from .api_incidents import router as incidents_router
from .api_org import router as org_router
from .api_overview import router as overview_router
from .api_places import router as places_router
from .api_publications import router as publications_router
from .api_qualification import router as qualification_router
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from baomi.core.paging import MAX_KEY, keyset_page
from baomi.core.schemas import ErrorOut

from . import services
from .api_inspections import router as inspections_router
from .api_rooms import router as rooms_router

router = Router(tags=["compliance"])
for part in (incidents_router, rooms_router, overview_router, assessments_router,
             qualification_router, firms_router, publications_router, org_router,
             places_router):
    router.add_router("", part)
ERRORS: dict[int, type[Schema]] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}
Id = Annotated[int, Path(ge=1, le=MAX_KEY)]


class IncidentOut(Schema):
    id: int
    unit_id: int
    kind: str
    scheme: str
    level: int
    title: str
    discovered_on: date
    created_on: date
    created_at: datetime
    source_type: str
    source_id: int | None
    source_label: str
    description: str
    state: str


class IncidentPage(Schema):
    items: list[IncidentOut]
    next_after: int | None


class PageQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_KEY)
    limit: int = Field(50, ge=1, le=500)


def incident_out(incident: Incident) -> dict[str, Any]:
    return {name: getattr(incident, name) for name in IncidentOut.model_fields}


@router.get("/incidents", response={200: IncidentPage, **ERRORS},
            summary="Leak incidents (泄密事件) of the units you handle")
def list_incidents(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    page = keyset_page(incidents_visible_to(request.user), None, size=query.limit,
                       after=query.after)
    return {"items": [incident_out(i) for i in page.items], "next_after": page.next_after}


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **ERRORS},
            summary="One leak incident (reading a 机密 or 绝密 one is audited)")
def get_incident(request: HttpRequest, incident_id: Id) -> Any:
    incident = incident_for(request.user, incident_id)
    services.record_incident_read(request.user, incident)
    return incident_out(incident)


router.add_router("", rooms_router)  # secure rooms and their measures (rule Q7)
# Each part mounts its router below: `router.add_router("", <part>_router)` (one line per part).
router.add_router("", inspections_router)  # inspections and rectifications (rules Q9, Q10)
