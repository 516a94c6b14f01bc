"""Profiles judge findings and traces (rules S9, D3, D4)."""

from __future__ import annotations

import json

import pytest

from baomi.scanner.profiles import Profile, ProfileError, load_profile, profile_from_dict


@pytest.mark.rule("S9")
def test_unclassified_any_mark_or_keyword_is_a_violation():
    profile = load_profile("unclassified")
    assert profile.file_violation(0, 0) is None
    assert profile.file_violation(0, 1) == "报警关键字出现在非涉密计算机上"
    assert profile.file_violation(1, 1) == "秘密标志出现在非涉密计算机上"
    assert profile.file_violation(3, 2) == "绝密标志出现在非涉密计算机上"


@pytest.mark.rule("D4")
def test_classified_only_files_above_the_device_level():
    profile = load_profile("classified", device_level=2)
    assert profile.file_violation(0, 5) is None, "keywords alone are expected on a classified computer"
    assert profile.file_violation(2, 1) is None, "at the device's level"
    assert profile.file_violation(3, 1) == "绝密文件高于本机密级（机密）"


def test_classified_needs_a_device_level():
    with pytest.raises(ProfileError, match="--device-level"):
        load_profile("classified")


def network_trace(*items):
    return {"check": "network_interfaces", "status": "ok", "items": list(items), "unread": []}


@pytest.mark.rule("D3")
def test_classified_network_traces():
    profile = load_profile("classified", device_level=1)
    lo = {
        "kind": "interface",
        "name": "lo",
        "type": "loopback",
        "wireless": False,
        "operstate": "unknown",
        "default_route": False,
    }
    eth_no_route = {
        "kind": "interface",
        "name": "eth0",
        "type": "ethernet",
        "wireless": False,
        "operstate": "up",
        "default_route": False,
    }
    eth_route_down = {**eth_no_route, "name": "eth1", "operstate": "down", "default_route": True}
    eth_route_up = {**eth_no_route, "name": "eth2", "default_route": True}
    wlan = {"kind": "interface", "name": "wlan0", "type": "wireless", "wireless": True, "operstate": "down"}
    wifi = {"kind": "wifi", "ssid": "Office-5G"}
    messages = profile.trace_violations(
        network_trace(lo, eth_no_route, eth_route_down, eth_route_up, wlan, wifi)
    )
    assert messages == [
        "网络接口 eth2 已连接且有默认路由",
        "无线网络接口 wlan0",
        "曾连接的无线网络 Office-5G",
    ]


@pytest.mark.rule("D3")
def test_classified_browser_history_one_violation_per_profile():
    profile = load_profile("classified", device_level=1)
    items = [{"browser": "chromium", "profile": "Default", "url": f"https://e.cn/{i}"} for i in range(3)]
    items.append({"browser": "firefox", "profile": "abc.default", "url": "https://x.cn", "internet": True})
    items.append({"browser": "firefox", "profile": "intranet", "url": "http://oa/", "internet": False})
    trace = {"check": "browser_history", "status": "ok", "items": items, "unread": []}
    assert profile.trace_violations(trace) == [
        "浏览器互联网访问记录：chromium Default（至少 3 条）",
        "浏览器互联网访问记录：firefox abc.default（至少 1 条）",
    ]
    assert profile.trace_violations({**trace, "items": []}) == []


@pytest.mark.rule("D4")
def test_classified_usb_storage_against_allowed_media():
    profile = profile_from_dict(
        {"name": "机房", "base": "classified", "device_level": 2, "allowed_media": ["AA11 "]}
    )
    trace = {
        "check": "usb_storage",
        "status": "ok",
        "unread": [],
        "items": [
            {"vendor": "Kingston", "product": "DT", "serial": "aa11"},
            {"vendor": "SanDisk", "product": "Cruzer", "serial": "BB22"},
            {"vendor": "Noname", "serial": None},
        ],
    }
    assert profile.trace_violations(trace) == [
        "未登记的USB存储设备：SanDisk Cruzer 序列号 BB22",
        "未登记的USB存储设备：Noname 序列号 未知",
    ]


def test_unclassified_reports_traces_without_judging():
    profile = load_profile("unclassified")
    wlan = {"kind": "interface", "name": "wlan0", "wireless": True}
    assert profile.trace_violations(network_trace(wlan)) == []


def test_profile_json_file_and_override(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(
            {
                "name": "涉密机",
                "base": "classified",
                "device_level": 1,
                "keywords": ["型号"],
                "keyword_list": {"name": "本单位", "sha256": "x"},
                "allowed_media": ["S1"],
                "limits": {"max_depth": 3},
            }
        ),
        encoding="utf-8",
    )
    profile = load_profile(str(path), device_level=3)
    assert (profile.name, profile.base, profile.device_level) == ("涉密机", "classified", 3)
    assert profile.keywords == ["型号"] and profile.limits == {"max_depth": 3}


@pytest.mark.parametrize(
    "content,message",
    [
        ("{", "不是有效的 JSON"),
        ('{"base": "secret"}', "未知的检查配置类型"),
        ('{"base": "classified", "device_level": 4}', "设备密级无效"),
        ("[1]", "应为 JSON 对象"),
    ],
)
def test_bad_profile_files(tmp_path, content, message):
    path = tmp_path / "p.json"
    path.write_text(content)
    with pytest.raises(ProfileError, match=message):
        load_profile(str(path))


def test_missing_profile_file():
    with pytest.raises(ProfileError, match="无法读取检查配置"):
        load_profile("/nonexistent/p.json")


def test_added_keywords_are_deduplicated_and_counted():
    profile = Profile(name="unclassified", keywords=["a"])
    profile.add_keywords(["a", "b"], "local.txt")
    assert profile.keywords == ["a", "b"]
    report = profile.report_dict()
    assert report["keywords"]["count"] == 2 and report["keywords"]["name"] == "local.txt"
