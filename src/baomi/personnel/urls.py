"""Personnel pages: posts and the person ledger (urls_people), onboarding (urls_onboarding),
重大事项报告 (urls_reports), 津贴 and 备案 exports (urls_filing), 出国(境) (urls_travel),
离岗/离职 and the 脱密期 (urls_exit)."""

from . import urls_exit, urls_filing, urls_onboarding, urls_people, urls_reports, urls_travel

app_name = "personnel"
urlpatterns = [*urls_people.urlpatterns, *urls_onboarding.urlpatterns, *urls_reports.urlpatterns,
               *urls_filing.urlpatterns, *urls_travel.urlpatterns, *urls_exit.urlpatterns]
