"""Send a report to the baomi server (rule D11: the check is recorded), with urllib only.

`POST {server}/api/v1/scans/reports`, `Authorization: Bearer TOKEN`, JSON body
`{"device": "保密编号", "report": {…}}`; the server answers 201 `{"id", "url", "check",
"rectifications"}`. A refusal becomes an `UploadError` carrying the server's own message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

DEFAULT_TIMEOUT = 60.0


class UploadError(Exception):
    """The server could not be reached or refused; the message is for the officer."""


REPORTS_PATH = "/api/v1/scans/reports"


def request_json(request: urllib.request.Request, token: str, timeout: float) -> Any:
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (officer's URL)
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raise UploadError(f"服务器拒绝（HTTP {error.code}）：{_server_message(error)}") from error
    except urllib.error.URLError as error:
        raise UploadError(f"无法连接服务器 {request.full_url}：{error.reason}") from error
    except TimeoutError as error:
        raise UploadError(f"连接服务器超时（{timeout:g} 秒）：{request.full_url}") from error
    except ValueError as error:
        raise UploadError(f"服务器的回答不是 JSON：{error}") from error


def _server_message(error: urllib.error.HTTPError) -> str:
    """The server's own words: `detail` or `message` of its JSON error, else the raw text."""
    body = error.read()[:4000].decode("utf-8", "replace")
    try:
        data = json.loads(body)
    except ValueError:
        return body.strip() or str(error.reason)
    if isinstance(data, dict):
        for key in ("detail", "message"):
            if data.get(key):
                detail = data[key]
                return detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    return body.strip()


def reports_url(server: str) -> str:
    """The server's address, or the full address of its report endpoint, both work."""
    server = server.rstrip("/")
    return server if server.endswith(REPORTS_PATH) else server + REPORTS_PATH


def upload_report(
    server: str, token: str, device: str | None, report: dict[str, Any], timeout: float = DEFAULT_TIMEOUT
) -> dict[str, Any]:
    """Upload; returns the server's answer (`id`, `url`, `check`, `rectifications`)."""
    body = json.dumps({"device": device, "report": report}, ensure_ascii=False).encode()
    request = urllib.request.Request(
        reports_url(server),
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    answer = request_json(request, token, timeout)
    if not isinstance(answer, dict):
        raise UploadError("服务器的回答格式不对")
    return answer
