"""The CLI's subcommands, one module each (see cli.COMMANDS)."""
