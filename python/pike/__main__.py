"""Command line: python3 -m pike <command> --help."""

import sys

from .cli import main

sys.exit(main())
