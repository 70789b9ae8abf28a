"""`python -m sheetsync.testing.sheets_emulator`: serve the emulator (see cli.py)."""

import sys

from sheetsync.testing.sheets_emulator.cli import main

sys.exit(main())
