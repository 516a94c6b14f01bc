"""`baomi scan` against a live server (rule D11): the tool fetches the unit's profile and
keywords, scans, and uploads its report, which the server accepts as it is and turns into
rectifications — the two halves agree on the report's shape."""

import json

import pytest

from baomi.accounts import services as accounts
from baomi.scanner.cli import main as scan
from baomi.scans import services
from baomi.scans.models import ScanReport

from . import support

people, yf1, other_unit = support.people, support.yf1, support.other_unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.rule("D11")
def test_the_tool_fetches_its_profile_scans_and_its_report_is_received(live_server, people, tmp_path,
                                                                      capsys):
    office = people["office"]
    terms = services.create_keyword_list(office, name="报警关键字", terms="天枢工程\nskylark")
    services.create_profile(office, name="office-pc", base="unclassified", keyword_list=terms)
    _, token = accounts.create_api_token(office, "scanner")
    tree = tmp_path / "home"
    tree.mkdir()
    (tree / "通知.txt").write_text("关于天枢工程的通知\n", encoding="gb18030")
    (tree / "秘密★1年-纪要.txt").write_text("会议纪要\n", encoding="utf-8")
    (tree / "clean.txt").write_text("食堂菜单\n", encoding="utf-8")
    report_file = tmp_path / "report.json"

    code = scan(["--server", live_server.url, "--token", token, "--profile", "office-pc",
                 "--device", "PC-0042", "--upload", live_server.url, "--no-traces", "--no-cache",
                 "--jobs", "1", "-q", "-o", str(report_file), str(tree)])

    assert code == 1
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["profile"]["keywords"]["count"] == 2
    assert {f["path"].rsplit("/", 1)[1]: f["level"] for f in report["files"]} == {
        "通知.txt": 0, "秘密★1年-纪要.txt": 1}
    received = ScanReport.objects.get()
    assert received.device_number == "PC-0042" and received.device is None
    assert received.violations == 2 and received.rectifications.count() == 2
    assert f"/scans/{received.pk}/" in capsys.readouterr().err
