"""The server side of the secrecy check tool (保密检查工具, `baomi scan`; rule D11): the unit's
keyword lists and profiles the tool fetches, and the register of the reports it uploads."""
