"""Anomaly and fraud injection with machine-learning labels (issue 5): the taxonomy
(catalog), how many of each (plan), what injectors work on (context), the families' injectors
(fraud, errors, process, statistical, relational), labels and splits."""
