"""Network interfaces and known Wi-Fi networks (rule D3: no wireless hardware on a classified
computer, never a connection to a public network): /sys/class/net, the default routes in
/proc/net, and NetworkManager's saved connections (their SSIDs only, never a password)."""

from __future__ import annotations

import configparser
import re
import socket
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .common import CheckResult, iso, local_zone, read_text, reason_for, shown

ARPHRD = {1: "ethernet", 772: "loopback", 512: "ppp", 65534: "tunnel", 776: "tunnel", 768: "tunnel",
          778: "tunnel", 823: "tunnel", 824: "tunnel"}
DEVTYPES = {"wlan": "wireless", "wwan": "wwan", "bridge": "bridge", "bond": "bond", "vlan": "vlan",
            "wireguard": "tunnel"}
WIFI_TYPES = {"wifi", "802-11-wireless"}
RTF_REJECT = 0x0200


def attribute(directory: Path, name: str) -> str | None:
    try:
        return read_text(directory / name, 4096).strip()
    except OSError:  # e.g. `carrier` of an interface that is down: EINVAL
        return None


def interface_type(directory: Path) -> str:
    """ethernet, wireless, loopback, bridge, bond, vlan, wwan, ppp, tunnel, virtual …"""
    uevent = attribute(directory, "uevent") or ""
    devtype = re.search(r"^DEVTYPE=(\S+)", uevent, re.MULTILINE)
    arphrd = attribute(directory, "type") or ""
    kind = ARPHRD.get(int(arphrd)) if arphrd.isdigit() else None
    if (directory / "wireless").exists() or (directory / "phy80211").exists():
        return "wireless"
    if devtype and devtype[1] in DEVTYPES:
        return DEVTYPES[devtype[1]]
    if (directory / "bridge").exists():
        return "bridge"
    if kind in ("loopback", "ppp", "tunnel"):
        return kind
    if not (directory / "device").exists():
        return "virtual"  # veth, docker0, dummy …: no hardware behind it
    return kind or "other"


def interface_item(directory: Path) -> dict[str, Any]:
    kind = interface_type(directory)
    carrier = attribute(directory, "carrier")
    return {"kind": "interface", "name": directory.name, "type": kind, "wireless": kind == "wireless",
            "operstate": attribute(directory, "operstate"),
            "carrier": None if carrier is None else carrier == "1",
            "mac": attribute(directory, "address"), "default_route": False, "gateway": None}


def ipv4_default_routes(text: str) -> dict[str, str]:
    """Interface → gateway of each default route in /proc/net/route (addresses little-endian hex)."""
    routes: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8 or fields[1] != "00000000" or fields[7] != "00000000":
            continue
        gateway = socket.inet_ntoa(struct.pack("<I", int(fields[2], 16)))
        routes.setdefault(fields[0], gateway)
    return routes


def ipv6_default_routes(text: str) -> dict[str, str]:
    """Interface → gateway of each default route in /proc/net/ipv6_route (`lo` and reject routes
    left out: the kernel keeps one there on every machine)."""
    routes: dict[str, str] = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 10 or fields[0] != "0" * 32 or fields[1] != "00" or fields[9] == "lo":
            continue
        if int(fields[8], 16) & RTF_REJECT:
            continue
        routes.setdefault(fields[9], socket.inet_ntop(socket.AF_INET6, bytes.fromhex(fields[4])))
    return routes


def ssid_of(value: str) -> str:
    """NetworkManager writes an SSID as text, or (older versions) as bytes `77;105;…;`."""
    if re.fullmatch(r"(\d{1,3};)+", value):
        return bytes(int(byte) for byte in value.rstrip(";").split(";")).decode("utf-8", errors="replace")
    return value


def wifi_item(text: str, source: str, now: datetime) -> dict[str, Any] | None:
    """The saved network's SSID and name; [wifi-security] (the password) is never read."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text)
    kind = parser.get("connection", "type", fallback="")
    section = next((name for name in ("wifi", "802-11-wireless") if parser.has_section(name)), None)
    if kind not in WIFI_TYPES or section is None:
        return None
    stamp = parser.get("connection", "timestamp", fallback="")
    last = datetime.fromtimestamp(int(stamp), UTC) if stamp.isdigit() and int(stamp) else None
    return {"kind": "wifi", "ssid": ssid_of(parser.get(section, "ssid", fallback="")),
            "name": parser.get("connection", "id", fallback=None),
            "last_connected": iso(last, local_zone(now)), "source": source}


def read_interfaces(root: Path, result: CheckResult) -> list[dict[str, Any]]:
    net = root / "sys" / "class" / "net"
    try:
        directories = sorted(net.iterdir())
    except OSError as error:
        result.fail(shown(net, root), reason_for(error))
        return []
    result.mark_read()
    return [interface_item(directory) for directory in directories]


def mark_default_routes(root: Path, items: list[dict[str, Any]], result: CheckResult) -> None:
    routes: dict[str, str] = {}
    for name, parse in (("route", ipv4_default_routes), ("ipv6_route", ipv6_default_routes)):
        path = root / "proc" / "net" / name
        try:
            found = parse(read_text(path))
        except OSError as error:
            result.fail(shown(path, root), reason_for(error))
            continue
        except (ValueError, struct.error) as error:
            result.fail(shown(path, root), f"parse error: {error}")
            continue
        result.mark_read()
        for interface, gateway in found.items():
            routes.setdefault(interface, gateway)
    for item in items:
        if item["name"] in routes:
            item["default_route"], item["gateway"] = True, routes[item["name"]]


def read_known_wifi(root: Path, now: datetime, result: CheckResult) -> list[dict[str, Any]]:
    directory = root / "etc" / "NetworkManager" / "system-connections"
    try:
        files = sorted(path for path in directory.iterdir() if not path.name.startswith("."))
    except OSError as error:
        result.fail(shown(directory, root), reason_for(error))
        return []
    items = []
    for path in files:
        source = shown(path, root)
        try:
            item = wifi_item(read_text(path, 1024 * 1024), source, now)
        except OSError as error:
            result.fail(source, reason_for(error))
            continue
        except configparser.Error as error:
            result.fail(source, f"parse error: {error}")
            continue
        result.mark_read()
        if item:
            items.append(item)
    return items


def check_network_interfaces(root: Path, now: datetime) -> dict[str, Any]:
    result = CheckResult("network_interfaces")
    interfaces = read_interfaces(root, result)
    mark_default_routes(root, interfaces, result)
    result.items = interfaces + read_known_wifi(root, now, result)
    return result.as_dict()
