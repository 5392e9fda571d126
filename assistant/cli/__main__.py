"""`python -m assistant.cli`: the `mentorprep` command."""

import sys

from assistant.cli import main

sys.exit(main())
