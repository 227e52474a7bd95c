"""Benchmarks: ``python -m benchmarks`` runs the suite (see __main__.py); the other scripts
here (bench_books.py, kpis.py, leakage.py) run on their own."""
