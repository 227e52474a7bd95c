"""Rows the anomaly labels excuse from an invariant: the injected unbalanced entries.

An ``unbalanced_entry`` anomaly is a journal entry whose debits and credits differ on
purpose. It is excused from "every entry balances" only when it says so twice: every line
is flagged (``is_anomaly``, ``anomaly_type = 'unbalanced_entry'``) and ``anomaly_labels``
lists the entry. An unbalanced entry that is labelled only one way still fails.

The ledger treats such an entry the way an ERP treats a balance difference: it posts the
difference to the suspense account of the chart (sub-type ``suspense``, 290000), so the trial
balance still balances (``generators/ledger/flows/company.py::_activity``). The trial-balance
checks add those implied postings to the journal's lines before comparing.
"""

from __future__ import annotations

from datasynth.verify.source import PERIOD_KEY, Source

UNBALANCED = "unbalanced_entry"
FLAG_COLUMNS = ("is_anomaly", "is_fraud", "anomaly_type")
DEFAULT_SUSPENSE = "290000"      # accounts/catalog.py Core(290000, "Suspense Account")

_LABELS = f"""SELECT company_code, document_id FROM anomaly_labels
              WHERE table_name = 'journal_entries' AND anomaly_type = '{UNBALANCED}'"""


def labelled_unbalanced(src: Source) -> str | None:
    """SQL of the entries labelled unbalanced both ways, one row each:
    ``company_code, document_id, p`` (period key), ``d``, ``c`` (their debit and credit sums).

    None when the output has none (no labels of the type, or no flag columns to carry them),
    so checks keep their plain query on books without such anomalies.
    """
    if not src.has("journal_entries", "anomaly_labels") \
            or not set(FLAG_COLUMNS) <= src.columns("journal_entries") \
            or not src.scalar(f"SELECT count(*) FROM ({_LABELS})"):
        return None
    # the labels pick the few candidate entries first; every line of one must be flagged
    return f"""SELECT j.company_code, j.document_id, min({PERIOD_KEY}) AS p,
                      sum(j.debit_amount) AS d, sum(j.credit_amount) AS c
               FROM journal_entries j SEMI JOIN ({_LABELS}) l USING (company_code, document_id)
               GROUP BY j.company_code, j.document_id
               HAVING bool_and(coalesce(j.is_anomaly, false)
                               AND j.anomaly_type IS NOT DISTINCT FROM '{UNBALANCED}')"""


def suspense_account(src: Source) -> str:
    """SQL of the chart's suspense account (290000 when the chart is absent or has none)."""
    if not src.has("accounts"):
        return f"'{DEFAULT_SUSPENSE}'"
    return (f"coalesce((SELECT min(gl_account) FROM accounts WHERE sub_type = 'suspense'), "
            f"'{DEFAULT_SUSPENSE}')")


def journal_postings(src: Source, where: str = "") -> tuple[str, int]:
    """SQL of what the ledger posts: the journal's lines (``where`` filters them), plus the
    suspense posting of each labelled unbalanced entry; and how many such entries there are.

    Columns: ``company_code, gl_account, p`` (period key), ``debit_amount, credit_amount``.
    A suspense posting takes the entry's difference on the side that balances it:
    debit = max(credit - debit, 0), credit = max(debit - credit, 0).
    """
    lines = (f"SELECT company_code, gl_account, {PERIOD_KEY} AS p, debit_amount, credit_amount "
             f"FROM journal_entries" + (f" WHERE {where}" if where else ""))
    labelled = labelled_unbalanced(src)
    if labelled is None:
        return lines, 0
    count = int(src.scalar(f"SELECT count(*) FROM ({labelled}) WHERE d IS DISTINCT FROM c"))
    suspense = f"""SELECT company_code, {suspense_account(src)} AS gl_account, p,
                          greatest(c - d, 0) AS debit_amount, greatest(d - c, 0) AS credit_amount
                   FROM ({labelled}) WHERE d IS DISTINCT FROM c"""
    return f"{lines} UNION ALL {suspense}", count
