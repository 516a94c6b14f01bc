"""Network interfaces, default routes and known Wi-Fi (rule D3), from fake /sys, /proc and
NetworkManager trees."""

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from baomi.scanner.traces import network

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=CST)

ROUTE = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
    "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
    "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n")
IPV6_ROUTE = (
    "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 "
    "00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
    "fe800000000000000000000000000001 00000400 00000001 00000000 00000003   wwan0\n"
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
    "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n")

WIFI = """[connection]
id=Office-5G
uuid=4b1e2f3a-0c55-4a0e-9d51-6a0f7c2b9e11
type=wifi
interface-name=wlan0
timestamp=1763600000

[wifi]
mode=infrastructure
ssid=Office-5G

[wifi-security]
key-mgmt=wpa-psk
psk=supersecret-password

[ipv4]
method=auto
"""
OLD_WIFI = """[connection]
id=家里
type=802-11-wireless

[802-11-wireless]
ssid=72;111;109;101;
mode=infrastructure

[802-11-wireless-security]
psk=another-secret
"""
WIRED = """[connection]
id=有线连接 1
type=ethernet

[ethernet]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def interface(root: Path, name: str, arphrd: int, *, hardware: bool = True, operstate: str = "up",
              carrier: str | None = "1", extra: tuple[str, ...] = (), uevent: str = "") -> None:
    directory = root / "sys/class/net" / name
    write(directory / "type", f"{arphrd}\n")
    write(directory / "operstate", operstate + "\n")
    write(directory / "address", "00:1a:2b:3c:4d:5e\n")
    write(directory / "uevent", f"INTERFACE={name}\nIFINDEX=2\n{uevent}")
    if carrier is None:
        (directory / "carrier").mkdir()  # reading it fails, as the kernel's EINVAL on a down link
    else:
        write(directory / "carrier", carrier + "\n")
    for entry in (("device",) if hardware else ()) + extra:
        (directory / entry).mkdir()


def fake_machine(root: Path) -> None:
    interface(root, "lo", 772, hardware=False, operstate="unknown")
    interface(root, "eth0", 1)
    interface(root, "wlan0", 1, operstate="down", carrier=None, extra=("wireless", "phy80211"),
              uevent="DEVTYPE=wlan\n")
    interface(root, "wwan0", 65534, operstate="up", uevent="DEVTYPE=wwan\n")
    interface(root, "docker0", 1, hardware=False, operstate="down", carrier="0", extra=("bridge",),
              uevent="DEVTYPE=bridge\n")
    interface(root, "veth1a2b", 1, hardware=False)
    interface(root, "tun0", 65534, hardware=False)
    write(root / "proc/net/route", ROUTE)
    write(root / "proc/net/ipv6_route", IPV6_ROUTE)


def by_name(result: dict) -> dict[str, dict]:
    return {item["name"]: item for item in result["items"] if item["kind"] == "interface"}


@pytest.mark.rule("D3")
def test_interface_types_wireless_state_and_default_routes(tmp_path):
    fake_machine(tmp_path)
    result = network.check_network_interfaces(tmp_path, NOW)
    items = by_name(result)
    assert {name: item["type"] for name, item in items.items()} == {
        "docker0": "bridge", "eth0": "ethernet", "lo": "loopback", "tun0": "tunnel",
        "veth1a2b": "virtual", "wlan0": "wireless", "wwan0": "wwan"}
    assert [name for name, item in items.items() if item["wireless"]] == ["wlan0"]
    assert items["eth0"] == {"kind": "interface", "name": "eth0", "type": "ethernet", "wireless": False,
                             "operstate": "up", "carrier": True, "mac": "00:1a:2b:3c:4d:5e",
                             "default_route": True, "gateway": "192.168.1.1"}
    assert items["wlan0"]["operstate"] == "down" and items["wlan0"]["carrier"] is None
    assert items["docker0"]["carrier"] is False and items["docker0"]["default_route"] is False
    assert (items["wwan0"]["default_route"], items["wwan0"]["gateway"]) == (True, "fe80::1")
    assert items["lo"]["default_route"] is False  # the kernel's reject route on lo is no way out
    # Without NetworkManager there is nothing to read; that is no gap in the check.
    assert result["status"] == "ok"
    assert result["unread"] == [{"source": "/etc/NetworkManager/system-connections", "reason": "not present"}]


@pytest.mark.rule("D3")
def test_known_wifi_ssids_never_the_password(tmp_path):
    fake_machine(tmp_path)
    connections = tmp_path / "etc/NetworkManager/system-connections"
    write(connections / "Office-5G.nmconnection", WIFI)
    write(connections / "家里", OLD_WIFI)
    write(connections / "有线连接 1.nmconnection", WIRED)
    result = network.check_network_interfaces(tmp_path, NOW)
    wifi = [item for item in result["items"] if item["kind"] == "wifi"]
    assert wifi == [
        {"kind": "wifi", "ssid": "Office-5G", "name": "Office-5G",
         "last_connected": datetime.fromtimestamp(1763600000, UTC).astimezone(CST).isoformat(),
         "source": "/etc/NetworkManager/system-connections/Office-5G.nmconnection"},
        {"kind": "wifi", "ssid": "Home", "name": "家里", "last_connected": None,
         "source": "/etc/NetworkManager/system-connections/家里"}]
    dumped = json.dumps(result, ensure_ascii=False)
    assert "secret" not in dumped and "psk" not in dumped
    assert result["status"] == "ok" and result["unread"] == []


def test_saved_connections_without_permission_are_unread(tmp_path, monkeypatch):
    fake_machine(tmp_path)
    connections = tmp_path / "etc/NetworkManager/system-connections"
    write(connections / "Office-5G.nmconnection", WIFI)
    original = Path.iterdir

    def refuse(self: Path):
        if self == connections:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = network.check_network_interfaces(tmp_path, NOW)
    assert result["status"] == "partial"
    assert result["unread"] == [{"source": "/etc/NetworkManager/system-connections",
                                 "reason": "permission denied"}]
    assert not [item for item in result["items"] if item["kind"] == "wifi"]


def test_a_broken_connection_file_is_a_parse_error(tmp_path):
    fake_machine(tmp_path)
    write(tmp_path / "etc/NetworkManager/system-connections/bad.nmconnection", "ssid without a section\n")
    result = network.check_network_interfaces(tmp_path, NOW)
    assert result["status"] == "partial"
    assert result["unread"][0]["reason"].startswith("parse error")


def test_no_sys_and_no_proc_is_unreadable(tmp_path):
    result = network.check_network_interfaces(tmp_path, NOW)
    assert result["status"] == "unreadable" and result["items"] == []
    assert {entry["source"] for entry in result["unread"]} == {
        "/sys/class/net", "/proc/net/route", "/proc/net/ipv6_route", "/etc/NetworkManager/system-connections"}


def test_default_route_parsers_on_their_own():
    assert network.ipv4_default_routes(ROUTE) == {"eth0": "192.168.1.1"}
    assert network.ipv6_default_routes(IPV6_ROUTE) == {"wwan0": "fe80::1"}
    assert network.ssid_of("72;111;109;101;") == "Home" and network.ssid_of("1;2") == "1;2"
