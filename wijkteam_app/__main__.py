"""`python -m wijkteam_app` behaves like the `wijkteam` command."""

from wijkteam_app.cli import main

raise SystemExit(main())
