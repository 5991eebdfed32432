"""Allow ``python -m regiopole ...`` (the route for Windows users without make)."""

from regiopole.cli import main

raise SystemExit(main())
