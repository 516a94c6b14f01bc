"""Pages of the carriers app: ledger (the 台帐, register, export, import, printed ledger),
detail (one carrier and its actions), containers, loans; display (how a carrier reads) and
filters (the ledger's filters shared with the export, the printed ledger and the API)."""
