"""Allow ``python -m regiopole ...`` (the route for Windows users without make)."""

from regiopole.cli import console

console()
