"""Figure: the xlsx export of the carrier ledger, 200,000 carriers: time and peak memory.

The ledger is bulk-created (carriers_common.py); the export is the one the page serves
(`exports.write_carriers` over the ledger query's iterator). The time is of the whole
export; peak Python memory is measured with tracemalloc (which slows the run several times,
hence a separate, smaller pair of runs) for 10,000 and for 50,000 rows: a streaming export
keeps it flat (it must not grow with the rows). The last line is the figure.

    .venv/bin/python bench/carriers_export.py [--carriers 200000]
"""

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from carriers_common import populate  # noqa: E402
from common import bench_database  # noqa: E402


def export(user: object, limit: int, *, trace: bool) -> tuple[float, float, int]:
    """Seconds, peak MiB (with `trace`) and rows of exporting the first `limit` rows."""
    from baomi.carriers.exports import write_carriers
    from baomi.carriers.views.filters import ledger_carriers, ledger_filters

    filters = ledger_filters({})
    carriers = ledger_carriers(user, filters).order_by("-id")[:limit]
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    output, rows = write_carriers(carriers.iterator(chunk_size=2000), filters["scheme"])
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
    tracemalloc.stop()
    output.close()
    return seconds, peak, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--carriers", type=int, default=200_000)
    args = parser.parse_args()
    with bench_database() as vendor:
        ledger = populate(args.carriers)
        full = export(ledger.office, args.carriers, trace=False)
        print(f"{full[2]} rows: {full[0]:.1f} s")
        peaks = [export(ledger.office, rows, trace=True) for rows in (10_000, 50_000)]
        for _seconds, peak, rows in peaks:
            print(f"{rows} rows: peak {peak:.1f} MiB (tracemalloc)")
        memory = ", ".join(f"{peak:.1f} MiB for {rows} rows" for _s, peak, rows in peaks)
        print(f"carriers_export: {full[2]} rows in {full[0]:.1f} s; peak memory {memory} "
              f"({vendor})")


if __name__ == "__main__":
    main()
