"""``python -m wijkteam_server`` is ``wijkteam-server``."""

import sys

from wijkteam_server.cli import main

sys.exit(main())
