import sys

from baomi.cli import main

sys.exit(main())
