"""The Textual app: setup form -> live run -> results."""
