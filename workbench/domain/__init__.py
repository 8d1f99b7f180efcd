"""Pure domain: models and rules. No I/O, no Textual, no git."""
