"""The data core: models, database, operations, validation, interchange. No Qt here."""
