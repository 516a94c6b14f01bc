"""Pages of the 定密 app: views.items (the pages), display (how an item reads), filters (the
register's filters shared with the export and the API)."""
