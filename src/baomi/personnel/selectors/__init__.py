"""Reads of the personnel app, every one through `files_visible_to(user)`."""
