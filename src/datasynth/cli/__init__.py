"""The ``datasynth-data`` command line: one module per command."""
