"""USB storage ever attached (rule D4), from kernel log lines as Debian/UOS/Kylin write them,
the journal, the udev database and sysfs, all in fake trees."""

import gzip
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from baomi.scanner.traces import common, usb
from baomi.scanner.traces.common import CheckResult

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=CST)

KINGSTON_ISO = """\
2026-11-20T09:12:01.100000+08:00 pc-017 kernel: [ 1234.567890] usb 1-1.2: new high-speed USB device number 5 using xhci_hcd
2026-11-20T09:12:01.274000+08:00 pc-017 kernel: [ 1234.718000] usb 1-1.2: New USB device found, idVendor=0951, idProduct=1666, bcdDevice= 1.00
2026-11-20T09:12:01.274100+08:00 pc-017 kernel: [ 1234.718100] usb 1-1.2: New USB device strings: Mfr=1, Product=2, SerialNumber=3
2026-11-20T09:12:01.274200+08:00 pc-017 kernel: [ 1234.718200] usb 1-1.2: Product: DataTraveler 3.0
2026-11-20T09:12:01.274300+08:00 pc-017 kernel: [ 1234.718300] usb 1-1.2: Manufacturer: Kingston
2026-11-20T09:12:01.274400+08:00 pc-017 kernel: [ 1234.718400] usb 1-1.2: SerialNumber: 60A44C413E4AF1B0A9C2B0F1
2026-11-20T09:12:01.280000+08:00 pc-017 kernel: [ 1234.724000] usb-storage 1-1.2:1.0: USB Mass Storage device detected
2026-11-20T09:12:01.281000+08:00 pc-017 kernel: [ 1234.725000] scsi host6: usb-storage 1-1.2:1.0
2026-11-20T09:12:01.282000+08:00 pc-017 kernel: [ 1234.726000] usbcore: registered new interface driver usb-storage
2026-11-20T09:12:02.300000+08:00 pc-017 kernel: [ 1235.744000] scsi 6:0:0:0: Direct-Access     Kingston DataTraveler 3.0 PMAP PQ: 0 ANSI: 6
2026-11-20T09:12:02.310000+08:00 pc-017 systemd[1]: Started udisks2.service.
"""  # noqa: E501  (real kernel lines are long)

KEYBOARD_CLASSIC = """\
Nov 19 08:30:10 pc-017 kernel: [    2.100000] usb 1-1.3: new low-speed USB device number 3 using xhci_hcd
Nov 19 08:30:10 pc-017 kernel: [    2.250000] usb 1-1.3: New USB device found, idVendor=046d, idProduct=c31c, bcdDevice=64.02
Nov 19 08:30:10 pc-017 kernel: [    2.250100] usb 1-1.3: Product: USB Keyboard
Nov 19 08:30:10 pc-017 kernel: [    2.250200] usb 1-1.3: Manufacturer: Logitech
Nov 19 08:30:10 pc-017 kernel: [    2.260000] input: Logitech USB Keyboard as /devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.3/1-1.3:1.0/0003:046D:C31C.0001/input/input5
Nov 19 08:30:10 pc-017 kernel: [    2.270000] hid-generic 0003:046D:C31C.0001: input,hidraw0: USB HID v1.10 Keyboard [Logitech USB Keyboard] on usb-0000:00:14.0-1.3/input0
Nov 19 08:30:11 pc-017 kernel: [    2.900000] scsi 0:0:0:0: Direct-Access     ATA      Samsung SSD 870  2B6Q PQ: 0 ANSI: 5
"""  # noqa: E501

SEAGATE_UAS_CLASSIC = """\
Nov 18 14:03:22 pc-017 kernel: [  812.100000] usb 2-1: new SuperSpeed USB device number 3 using xhci_hcd
Nov 18 14:03:22 pc-017 kernel: [  812.120000] usb 2-1: New USB device found, idVendor=0bc2, idProduct=2322, bcdDevice= 7.03
Nov 18 14:03:22 pc-017 kernel: [  812.120100] usb 2-1: Product: Expansion HDD
Nov 18 14:03:22 pc-017 kernel: [  812.120200] usb 2-1: Manufacturer: Seagate
Nov 18 14:03:22 pc-017 kernel: [  812.120300] usb 2-1: SerialNumber: NAAB1234
Nov 18 14:03:23 pc-017 kernel: [  812.400000] scsi host4: uas
Nov 18 14:03:23 pc-017 kernel: [  812.410000] scsi 4:0:0:0: Direct-Access     Seagate  Expansion HDD    0703 PQ: 0 ANSI: 6
"""  # noqa: E501


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def check(root: Path) -> dict:
    return usb.check_usb_storage(root, NOW)


def by_vendor(result: dict) -> dict[str, dict]:
    return {item["vendor_id"]: item for item in result["items"]}


@pytest.mark.rule("D4")
def test_a_stick_in_iso_syslog_is_storage_with_its_identity(tmp_path):
    write(tmp_path / "var/log/syslog", KINGSTON_ISO)
    result = check(tmp_path)
    assert result["status"] == "ok" and result["violation"] is False
    assert result["items"] == [{
        "vendor_id": "0951", "product_id": "1666", "vendor": "Kingston", "product": "DataTraveler 3.0",
        "serial": "60A44C413E4AF1B0A9C2B0F1", "first_seen": "2026-11-20T09:12:01.274000+08:00",
        "last_seen": "2026-11-20T09:12:01.274000+08:00", "attached": False,
        "evidence": ["usb-storage"], "sources": ["/var/log/syslog"]}]


@pytest.mark.rule("D4")
def test_a_keyboard_is_not_storage_even_beside_an_internal_disk(tmp_path):
    write(tmp_path / "var/log/kern.log", KEYBOARD_CLASSIC)
    assert check(tmp_path)["items"] == []


@pytest.mark.rule("D4")
def test_uas_disk_in_rotated_gz_classic_log(tmp_path):
    write(tmp_path / "var/log/kern.log.2.gz", SEAGATE_UAS_CLASSIC)
    (item,) = check(tmp_path)["items"]
    assert (item["vendor"], item["product"], item["serial"]) == ("Seagate", "Expansion HDD", "NAAB1234")
    assert item["evidence"] == ["uas"]
    assert item["first_seen"] == "2026-11-18T14:03:22+08:00"
    assert item["sources"] == ["/var/log/kern.log.2.gz"]


def uas_after(seconds: int) -> str:
    later = (datetime(2026, 11, 18, 14, 3, 22) + timedelta(seconds=seconds)).strftime("%H:%M:%S")
    return (f"Nov 18 14:03:22 pc kernel: usb 1-1.3: New USB device found, idVendor=046d, idProduct=c31c\n"
            f"Nov 18 {later} pc kernel: scsi host4: uas\n")


@pytest.mark.rule("D4")
@pytest.mark.parametrize(("seconds", "storage"), [(5, True), (6, False)])
def test_uas_line_counts_only_within_five_seconds_of_the_announcement(tmp_path, seconds, storage):
    write(tmp_path / "var/log/kern.log", uas_after(seconds))
    assert bool(check(tmp_path)["items"]) is storage


@pytest.mark.rule("D4")
def test_the_same_stick_in_several_logs_is_one_device_first_and_last_seen(tmp_path):
    earlier = KINGSTON_ISO.replace("2026-11-20T", "2026-11-10T")
    write(tmp_path / "var/log/syslog", KINGSTON_ISO)
    write(tmp_path / "var/log/kern.log", KINGSTON_ISO)
    write(tmp_path / "var/log/syslog.3.gz", earlier)
    (item,) = check(tmp_path)["items"]
    assert item["first_seen"].startswith("2026-11-10T09:12:01")
    assert item["last_seen"].startswith("2026-11-20T09:12:01")
    assert sorted(item["sources"]) == ["/var/log/kern.log", "/var/log/syslog", "/var/log/syslog.3.gz"]


def test_a_classic_date_after_now_belongs_to_last_year(tmp_path):
    write(tmp_path / "var/log/messages", SEAGATE_UAS_CLASSIC.replace("Nov 18", "Dec 30"))
    (item,) = check(tmp_path)["items"]
    assert item["first_seen"] == "2025-12-30T14:03:22+08:00"


def test_journal_short_iso_offset_without_colon():
    lines = ["2026-11-20T09:12:01+0800 pc-017 kernel: usb 1-1.2: New USB device found, "
             "idVendor=0951, idProduct=1666, bcdDevice= 1.00",
             "2026-11-20T09:12:01+0800 pc-017 kernel: usb-storage 1-1.2:1.0: "
             "USB Mass Storage device detected"]
    (sighting,) = usb.sightings_in(lines, "journal", NOW)
    assert sighting.seen == datetime(2026, 11, 20, 9, 12, 1, tzinfo=CST)
    assert sighting.storage_by == "usb-storage"


def test_dmesg_lines_count_without_a_time(tmp_path):
    dmesg = "".join(line.split("kernel: ", 1)[1] + "\n" for line in KINGSTON_ISO.splitlines()
                    if "kernel: " in line)
    write(tmp_path / "var/log/dmesg", dmesg)
    (item,) = check(tmp_path)["items"]
    assert item["serial"] == "60A44C413E4AF1B0A9C2B0F1" and item["first_seen"] is None


def test_a_stick_reannounced_on_the_same_port_keeps_each_identity(tmp_path):
    other = KINGSTON_ISO.replace("0951", "090c").replace("60A44C413E4AF1B0A9C2B0F1", "AA00000000011234")
    write(tmp_path / "var/log/syslog", KEYBOARD_CLASSIC.replace("1-1.3", "1-1.2") + KINGSTON_ISO + other)
    assert sorted(by_vendor(check(tmp_path))) == ["090c", "0951"]


def fake_sysfs(root: Path) -> None:
    devices = root / "sys/bus/usb/devices"
    for name, values in {"1-1.2": {"idVendor": "0951", "idProduct": "1666", "manufacturer": "Kingston",
                                   "product": "DataTraveler 3.0", "serial": "60A44C413E4AF1B0A9C2B0F1"},
                         "1-1.2:1.0": {"bInterfaceClass": "08"},
                         "1-1.3": {"idVendor": "046d", "idProduct": "c31c", "product": "USB Keyboard"},
                         "1-1.3:1.0": {"bInterfaceClass": "03"}}.items():
        for attribute, value in values.items():
            write(devices / name / attribute, value + "\n")


def fake_udev(root: Path) -> None:
    data = root / "run/udev/data"
    write(data / "c189:5", "I:1234567\nE:ID_VENDOR=Kingston\nE:ID_VENDOR_ID=0951\n"
          "E:ID_MODEL=DataTraveler_3.0\nE:ID_MODEL_ID=1666\nE:ID_SERIAL_SHORT=60A44C413E4AF1B0A9C2B0F1\nE:ID_USB_INTERFACES=:080650:\n")
    write(data / "c189:3", "E:ID_VENDOR_ID=046d\nE:ID_MODEL_ID=c31c\nE:ID_USB_INTERFACES=:030101:030000:\n")
    write(data / "n2", "I:99\nE:ID_NET_NAME_MAC=enx001122334455\n")


@pytest.mark.rule("D4")
def test_attached_now_by_interface_class_08_in_sysfs_and_udev_merged_with_the_log(tmp_path):
    write(tmp_path / "var/log/syslog", KINGSTON_ISO + KEYBOARD_CLASSIC)
    fake_sysfs(tmp_path)
    fake_udev(tmp_path)
    result = check(tmp_path)
    (item,) = result["items"]
    assert item["attached"] is True and item["vendor"] == "Kingston"
    assert item["evidence"] == ["usb-storage", "interface class 08"]
    assert item["sources"] == ["/var/log/syslog", "/run/udev/data", "/sys/bus/usb/devices"]
    assert item["first_seen"] == "2026-11-20T09:12:01.274000+08:00"
    assert item["last_seen"] == NOW.isoformat()
    assert result["status"] == "ok"


def test_no_records_at_all_is_unreadable_and_says_so(tmp_path):
    result = check(tmp_path)
    assert result["status"] == "unreadable" and result["items"] == []
    assert {entry["source"] for entry in result["unread"]} == {
        "/var/log", "/run/udev/data", "/sys/bus/usb/devices"}


def test_a_log_that_cannot_be_opened_makes_the_check_partial(tmp_path, monkeypatch):
    write(tmp_path / "var/log/syslog", KINGSTON_ISO)
    denied = write(tmp_path / "var/log/kern.log", KINGSTON_ISO)
    (tmp_path / "var/log/syslog.2.gz").mkdir()  # a directory where a rotated log is expected
    original = common.open_noatime

    def refuse(path: Path) -> int:
        if path == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(common, "open_noatime", refuse)
    result = check(tmp_path)
    assert result["status"] == "partial"
    assert {"source": "/var/log/kern.log", "reason": "permission denied"} in result["unread"]
    assert {"source": "/var/log/syslog.2.gz", "reason": "is a directory, not a file"} in result["unread"]
    assert len(result["items"]) == 1


def test_a_truncated_gz_is_a_parse_error(tmp_path):
    data = gzip.compress(KINGSTON_ISO.encode())
    (tmp_path / "var/log").mkdir(parents=True)
    (tmp_path / "var/log/syslog.4.gz").write_bytes(data[: len(data) // 2])
    write(tmp_path / "var/log/syslog", KEYBOARD_CLASSIC)
    (entry,) = check(tmp_path)["unread"][:1]
    assert entry["source"] == "/var/log/syslog.4.gz" and entry["reason"].startswith("parse error")


class FakeJournalctl:
    """Stands in for subprocess.Popen running journalctl."""

    def __init__(self, stdout: str, stderr: str = "", code: int = 0) -> None:
        self.stdout, self.stderr, self.code = io.StringIO(stdout), io.StringIO(stderr), code
        self.calls: list[list[str]] = []

    def __call__(self, command: list[str], **kwargs) -> "FakeJournalctl":
        self.calls.append(command)
        return self

    def __enter__(self) -> "FakeJournalctl":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def wait(self) -> int:
        return self.code


def test_journal_without_permission_is_unread(monkeypatch):
    monkeypatch.setattr(usb.shutil, "which", lambda name: "/usr/bin/journalctl")
    monkeypatch.setattr(usb.subprocess, "Popen", FakeJournalctl(
        "", "No journal files were opened due to insufficient permissions.\n", 1))
    result = CheckResult("usb_storage")
    assert usb.from_journal(Path("/"), NOW, result) == []
    assert result.unread == [{"source": "journal", "reason": "journalctl: permission denied"}]
    assert result.sources_read == 0


def test_journal_lines_are_read_from_every_boot(monkeypatch):
    journal = FakeJournalctl("2026-11-20T09:12:01+0800 pc kernel: usb 1-1.2: New USB device found, "
                             "idVendor=0951, idProduct=1666\n2026-11-20T09:12:01+0800 pc kernel: "
                             "usb 1-1.2: SerialNumber: 60A44C413E4AF1B0A9C2B0F1\n"
                             "2026-11-20T09:12:02+0800 pc kernel: scsi host6: usb-storage 1-1.2:1.0\n")
    monkeypatch.setattr(usb.shutil, "which", lambda name: "/usr/bin/journalctl")
    monkeypatch.setattr(usb.subprocess, "Popen", journal)
    result = CheckResult("usb_storage")
    (sighting,) = usb.from_journal(Path("/"), NOW, result)
    assert sighting.storage_by == "usb-storage" and result.sources_read == 1
    assert sighting.serial == "60A44C413E4AF1B0A9C2B0F1"
    assert "_TRANSPORT=kernel" in journal.calls[-1] and "-b" not in journal.calls[-1]


def test_journal_is_not_asked_about_a_fake_root(tmp_path, monkeypatch):
    monkeypatch.setattr(usb.shutil, "which", lambda name: pytest.fail("journalctl looked up"))
    assert usb.from_journal(tmp_path, NOW, CheckResult("usb_storage")) == []
