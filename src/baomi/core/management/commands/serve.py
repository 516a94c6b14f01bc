"""`baomi serve`: collect static files, then run gunicorn (never runserver)."""

import os
import shutil
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve baomi with gunicorn (static files through whitenoise)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--timeout", type=int, default=60, help="worker timeout in seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        argv = [
            gunicorn, "baomi.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--timeout", str(options["timeout"]),
            "--access-logfile", "-",
        ]
        self.stdout.write(f"baomi: serving on http://{options['bind']}/")
        sys.stdout.flush()
        os.execv(gunicorn, argv)
