"""Policy profiles (see loader.py)."""
