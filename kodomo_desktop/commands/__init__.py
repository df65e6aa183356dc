"""The data commands of the CLI, one module each (see cli.COMMANDS)."""
