"""baomi — 保密管理系统."""

__version__ = "0.1.0"
