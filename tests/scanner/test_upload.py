"""Upload of the report and fetching of the profile, against a tiny local HTTP server (D11)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from baomi.scanner.profiles import ProfileError, fetch_profile
from baomi.scanner.upload import UploadError, upload_report


class Recorder(BaseHTTPRequestHandler):
    answers: dict[tuple[str, str], tuple[int, bytes]] = {}
    seen: list[dict] = []

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.seen.append(
            {"method": method, "path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        status, payload = self.answers.get(
            (method, self.path.split("?")[0]), (404, b'{"detail": "\xe6\x97\xa0"}')
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self._answer("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._answer("GET")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    Recorder.answers, Recorder.seen = {}, []
    httpd = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Recorder
    httpd.shutdown()
    httpd.server_close()


def dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


@pytest.mark.rule("D11")
def test_upload_sends_the_report_with_the_token(server):
    url, handler = server
    answer = {"id": 7, "url": "/scans/reports/7/", "check": 3, "rectifications": [1, 2]}
    handler.answers[("POST", "/api/v1/scans/reports")] = (201, dumps(answer))
    report = {"schema": "baomi-scan-report", "version": 1, "summary": {"clean": False}}
    assert upload_report(url + "/", "T0K", "BM-JSJ-0017", report) == answer
    (request,) = handler.seen
    assert request["auth"] == "Bearer T0K"
    assert json.loads(request["body"]) == {"device": "BM-JSJ-0017", "report": report}


@pytest.mark.parametrize(
    "status,body,message",
    [
        (400, dumps({"detail": "报告格式不对"}), "服务器拒绝（HTTP 400）：报告格式不对"),
        (403, dumps({"code": "forbidden", "message": "无权上传"}), "服务器拒绝（HTTP 403）：无权上传"),
        (500, b"boom", "服务器拒绝（HTTP 500）：boom"),
    ],
)
def test_refusal_carries_the_server_message(server, status, body, message):
    url, handler = server
    handler.answers[("POST", "/api/v1/scans/reports")] = (status, body)
    with pytest.raises(UploadError) as raised:
        upload_report(url, "T", None, {})
    assert str(raised.value) == message


def test_unreachable_server():
    with pytest.raises(UploadError, match="无法连接服务器"):
        upload_report("http://127.0.0.1:9", "T", None, {}, timeout=2)


def test_fetch_profile_with_device(server):
    url, handler = server
    profile = {
        "name": "涉密计算机",
        "base": "classified",
        "device_level": 2,
        "keywords": ["型号", "XJ-7"],
        "keyword_list": {"name": "本单位", "sha256": "abc"},
        "allowed_media": ["S1"],
        "limits": {},
    }
    handler.answers[("GET", "/api/v1/scans/profiles/%E6%B6%89%E5%AF%86%E8%AE%A1%E7%AE%97%E6%9C%BA")] = (
        200,
        dumps(profile),
    )
    fetched = fetch_profile(url, "T", "涉密计算机", "BM-1")
    assert (fetched.base, fetched.device_level, fetched.keywords, fetched.allowed_media) == (
        "classified",
        2,
        ["型号", "XJ-7"],
        ["S1"],
    )
    assert handler.seen[0]["path"].endswith("?device=BM-1") and handler.seen[0]["auth"] == "Bearer T"


def test_fetch_unknown_profile(server):
    url, _ = server
    with pytest.raises(ProfileError, match="无法从服务器获取检查配置：服务器拒绝（HTTP 404）：无"):
        fetch_profile(url, "T", "nope")


def test_the_server_address_or_its_report_endpoint_both_work():
    from baomi.scanner.upload import reports_url

    assert reports_url("https://baomi.example/") == "https://baomi.example/api/v1/scans/reports"
    assert (reports_url("https://baomi.example/api/v1/scans/reports")
            == "https://baomi.example/api/v1/scans/reports")
