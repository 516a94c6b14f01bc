"""USB storage devices ever attached (rule D4: no cross use of media), from the records the
system keeps: kernel lines in syslog/kern.log/messages (rotated and gzipped too), the journal,
/var/log/dmesg, the udev database and sysfs.

How a device is known to be storage: in the logs, a `usb-storage` line (`usb-storage 1-1.2:1.0:
USB Mass Storage device detected`, `scsi host6: usb-storage 1-1.2:1.0`) naming the device's bus
path, or `scsi hostN: uas` within a few seconds after the device was announced (UAS lines carry
no bus path); in udev and sysfs, an interface of class 08 (mass storage). A keyboard, a mouse or
a phone charging never shows any of these and is left out. `Direct-Access` lines are not used:
internal SATA disks print them too.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from .common import CheckResult, iso, local_zone, read_lines, read_text, reason_for, shown

LOG_PATTERNS = ("syslog*", "kern.log*", "messages*")
UAS_WINDOW = timedelta(seconds=5)
MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}

# 2026-11-20T09:12:01.123456+08:00 host kernel: [ 1234.5678] usb 1-1.2: …  (rsyslog, journal short-iso)
ISO_LINE = re.compile(r"^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s+\S+\s+"
                      r"kernel:\s*(?:\[\s*\d+\.\d+\]\s*)?(.*)$")
# Nov 20 09:12:01 host kernel: [ 1234.5678] usb 1-1.2: …  (classic syslog, no year)
CLASSIC_LINE = re.compile(r"^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d\d):(\d\d):(\d\d)\s+\S+\s+"
                          r"kernel:\s*(?:\[\s*\d+\.\d+\]\s*)?(.*)$")
# [ 1234.5678] usb 1-1.2: …  (dmesg: seconds since boot only)
DMESG_LINE = re.compile(r"^\[\s*\d+\.\d+\]\s*(.*)$")

NEW_DEVICE = re.compile(r"^usb (\d+-[\d.]+): New USB device found, idVendor=([0-9a-fA-F]{4}), "
                        r"idProduct=([0-9a-fA-F]{4})")
ATTRIBUTE = re.compile(r"^usb (\d+-[\d.]+): (Product|Manufacturer|SerialNumber): (.*)$")
USB_STORAGE = re.compile(r"usb-storage (\d+-[\d.]+):\d+\.\d+\b")
UAS_HOST = re.compile(r"^scsi host\d+: uas\b")


@dataclass
class Sighting:
    """One attachment of a device as one source tells it."""

    bus_path: str
    vendor_id: str
    product_id: str
    seen: datetime | None
    source: str
    vendor: str | None = None
    product: str | None = None
    serial: str | None = None
    storage_by: str | None = None  # usb-storage, uas, interface class 08
    attached: bool = False


@dataclass
class Device:
    vendor_id: str
    product_id: str
    serial: str | None
    vendor: str | None = None
    product: str | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    sources: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    attached: bool = False

    def add(self, sighting: Sighting) -> None:
        self.vendor = self.vendor or sighting.vendor
        self.product = self.product or sighting.product
        if sighting.seen is not None:
            self.first_seen = min(filter(None, (self.first_seen, sighting.seen)))
            self.last_seen = max(filter(None, (self.last_seen, sighting.seen)))
        if sighting.source not in self.sources:
            self.sources.append(sighting.source)
        if sighting.storage_by and sighting.storage_by not in self.evidence:
            self.evidence.append(sighting.storage_by)
        self.attached = self.attached or sighting.attached

    def as_item(self, zone: tzinfo | None) -> dict[str, Any]:
        return {"vendor_id": self.vendor_id, "product_id": self.product_id, "vendor": self.vendor,
                "product": self.product, "serial": self.serial,
                "first_seen": iso(self.first_seen, zone), "last_seen": iso(self.last_seen, zone),
                "attached": self.attached, "evidence": self.evidence, "sources": self.sources}


def parse_time(text: str, zone: tzinfo | None) -> datetime | None:
    text = text.replace(" ", "T", 1)
    if re.search(r"[+-]\d{4}$", text):  # journalctl short-iso writes +0800
        text = text[:-2] + ":" + text[-2:]
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def classic_time(match: re.Match[str], now: datetime) -> datetime | None:
    """Classic syslog lines have no year: the latest date not after `now`."""
    month = MONTHS.get(match[1])
    if month is None:
        return None
    for year in (now.year, now.year - 1):
        try:
            moment = datetime(year, month, int(match[2]), int(match[3]), int(match[4]), int(match[5]),
                              tzinfo=now.tzinfo)
        except ValueError:  # 29 Feb in a year without it
            continue
        if moment <= now + timedelta(days=1):
            return moment
    return None


def kernel_messages(lines: Iterable[str], now: datetime) -> Iterator[tuple[datetime | None, str]]:
    """(time, kernel message) for each kernel line; other lines are passed over."""
    for line in lines:
        if "usb" not in line and "scsi" not in line:
            continue
        if match := ISO_LINE.match(line):
            yield parse_time(match[1], now.tzinfo), match[2]
        elif match := CLASSIC_LINE.match(line):
            yield classic_time(match, now), match[6]
        elif match := DMESG_LINE.match(line):
            yield None, match[1]


def sightings_in(lines: Iterable[str], source: str, now: datetime) -> list[Sighting]:
    """Every device announcement in one stream, with what later lines say about it."""
    found: list[Sighting] = []
    latest: dict[str, Sighting] = {}  # bus path → the device last announced there
    for seen, message in kernel_messages(lines, now):
        if match := NEW_DEVICE.match(message):
            sighting = Sighting(match[1], match[2].lower(), match[3].lower(), seen, source)
            latest[sighting.bus_path] = sighting
            found.append(sighting)
        elif (match := ATTRIBUTE.match(message)) and match[1] in latest:
            setattr(latest[match[1]], {"Product": "product", "Manufacturer": "vendor",
                                       "SerialNumber": "serial"}[match[2]], match[3].strip() or None)
        elif (match := USB_STORAGE.search(message)) and match[1] in latest:
            latest[match[1]].storage_by = "usb-storage"
        elif UAS_HOST.match(message) and found:
            last = found[-1]
            if seen is None or last.seen is None or seen - last.seen <= UAS_WINDOW:
                last.storage_by = last.storage_by or "uas"
    return found


def log_files(root: Path) -> list[Path]:
    log_dir = root / "var" / "log"
    paths = {path for pattern in LOG_PATTERNS for path in log_dir.glob(pattern)}
    paths.add(log_dir / "dmesg")
    return sorted(paths)


def from_logs(root: Path, now: datetime, result: CheckResult) -> list[Sighting]:
    sightings: list[Sighting] = []
    log_dir = root / "var" / "log"
    if not log_dir.is_dir():
        result.fail(shown(log_dir, root), "not present")
        return sightings
    present = [path for path in log_files(root) if path.exists() or path.is_symlink()]
    if not present:
        result.fail(shown(log_dir, root) + "/{syslog,kern.log,messages,dmesg}*", "not present")
    for path in present:
        source = shown(path, root)
        try:
            sightings += sightings_in(read_lines(path), source, now)
        except (EOFError, gzip.BadGzipFile) as error:  # a truncated or broken .gz
            result.fail(source, f"parse error: {error}")
        except OSError as error:
            result.fail(source, reason_for(error))
        else:
            result.mark_read()
    return sightings


def from_journal(root: Path, now: datetime, result: CheckResult) -> list[Sighting]:
    """Kernel lines of every boot the journal keeps (`-k` alone would give the current boot only),
    read as they come so a long journal does not sit in memory."""
    if root != Path("/"):
        return []  # a fake or mounted tree: the running system's journal is not its journal
    journalctl = shutil.which("journalctl")
    if journalctl is None:
        return []
    command = [journalctl, "_TRANSPORT=kernel", "-o", "short-iso", "--no-pager", "-q"]
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              errors="replace") as process:
            assert process.stdout is not None and process.stderr is not None
            lines = LineCounter(process.stdout)
            sightings = sightings_in(lines, "journal", now)
            stderr = process.stderr.read()
            code = process.wait()
    except OSError as error:
        result.fail("journal", f"journalctl: {error}")
        return []
    if "insufficient permissions" in stderr or "not seeing messages" in stderr:
        result.fail("journal", "journalctl: permission denied")
    elif code != 0:
        result.fail("journal", f"journalctl: exit {code}: {stderr.strip()[:200]}")
    if code == 0 and lines.count:
        result.mark_read()
    return sightings


class LineCounter:
    """Passes lines through, counting them: an empty journal is not a journal read."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = lines
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.count += 1
            yield line.rstrip("\n")


def properties(text: str) -> dict[str, str]:
    """`E:KEY=value` lines of a udev database entry."""
    pairs = (line[2:].split("=", 1) for line in text.splitlines() if line.startswith("E:") and "=" in line)
    return {key: value for key, value in pairs}


def from_udev(root: Path, result: CheckResult) -> list[Sighting]:
    """Devices udev knows now: an entry with a mass-storage interface (`:08…` in
    ID_USB_INTERFACES)."""
    data_dir = root / "run" / "udev" / "data"
    source = shown(data_dir, root)
    try:
        entries = sorted(data_dir.iterdir())
    except OSError as error:
        result.fail(source, reason_for(error))
        return []
    sightings: list[Sighting] = []
    for entry in entries:
        try:
            props = properties(read_text(entry, 1024 * 1024))
        except OSError:
            continue  # entries of other subsystems may be unreadable; they are not USB storage
        interfaces = props.get("ID_USB_INTERFACES", "")
        if "ID_VENDOR_ID" not in props or ":08" not in interfaces:
            continue
        sightings.append(Sighting(
            "", props["ID_VENDOR_ID"].lower(), props.get("ID_MODEL_ID", "").lower(), None, source,
            vendor=props.get("ID_VENDOR_FROM_DATABASE") or props.get("ID_VENDOR"),
            product=props.get("ID_MODEL_FROM_DATABASE") or props.get("ID_MODEL"),
            serial=props.get("ID_SERIAL_SHORT"), storage_by="interface class 08", attached=True))
    result.mark_read()
    return sightings


def attribute(directory: Path, name: str) -> str | None:
    try:
        return read_text(directory / name, 4096).strip() or None
    except OSError:
        return None


def from_sysfs(root: Path, now: datetime, result: CheckResult) -> list[Sighting]:
    """Devices attached now: an interface `1-1.2:1.0` with bInterfaceClass 08 makes `1-1.2`
    storage."""
    devices_dir = root / "sys" / "bus" / "usb" / "devices"
    source = shown(devices_dir, root)
    try:
        names = sorted(entry.name for entry in devices_dir.iterdir())
    except OSError as error:
        result.fail(source, reason_for(error))
        return []
    storage_paths = sorted({name.split(":")[0] for name in names
                            if ":" in name and attribute(devices_dir / name, "bInterfaceClass") == "08"})
    sightings = []
    for bus_path in storage_paths:
        device = devices_dir / bus_path
        vendor_id, product_id = attribute(device, "idVendor"), attribute(device, "idProduct")
        if vendor_id is None or product_id is None:
            continue
        sightings.append(Sighting(
            bus_path, vendor_id.lower(), product_id.lower(), now, source,
            vendor=attribute(device, "manufacturer"), product=attribute(device, "product"),
            serial=attribute(device, "serial"), storage_by="interface class 08", attached=True))
    result.mark_read()
    return sightings


def merge(sightings: Iterable[Sighting]) -> list[Device]:
    """One device per (vendor, product, serial): the same stick in syslog, kern.log and the
    journal is one device seen from several sources."""
    sightings = list(sightings)
    storage_keys = {(s.vendor_id, s.product_id, s.serial) for s in sightings if s.storage_by}
    devices: dict[tuple[str, str, str | None], Device] = {}
    for sighting in sightings:
        key = (sighting.vendor_id, sighting.product_id, sighting.serial)
        if key not in storage_keys:
            continue
        devices.setdefault(key, Device(*key)).add(sighting)
    return sorted(devices.values(), key=lambda d: (d.first_seen is None,
                                                    d.first_seen.timestamp() if d.first_seen else 0.0,
                                                    d.vendor_id, d.product_id, d.serial or ""))


def check_usb_storage(root: Path, now: datetime) -> dict[str, Any]:
    result = CheckResult("usb_storage")
    zone = local_zone(now)
    sightings = from_logs(root, now, result) + from_journal(root, now, result)
    sightings += from_udev(root, result) + from_sysfs(root, now, result)
    result.items = [device.as_item(zone) for device in merge(sightings)]
    return result.as_dict()
