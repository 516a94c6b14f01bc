"""`baomi scan`, the secrecy check tool (保密检查工具): a standalone scanner for classification
marks, the unit's keywords and traces of USB storage, browsing and networks (rules S9, D3,
D11). It imports nothing from Django, so it runs from a USB stick with no database."""

SCHEMA = "baomi-scan-report"
SCHEMA_VERSION = 1
