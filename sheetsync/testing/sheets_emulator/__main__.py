"""`python -m sheetsync.testing.sheets_emulator`: serve the emulator (see emulator.py)."""

import sys

from sheetsync.testing.sheets_emulator.emulator import main

sys.exit(main())
