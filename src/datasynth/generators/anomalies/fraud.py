"""Fraud schemes (ACFE: asset misappropriation, corruption, financial-statement fraud;
domain study §8.1 FraudType). Multi-entry where the real scheme is multi-entry."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.ledger.flows.common import block, centers, doc_ids, null_strings
from datasynth.generators.ledger.flows.postings import stack_lines
from datasynth.generators.ledger.flows.common import line_set

SUSPENSE = 290000
ROUND_UNITS = (1_000, 2_000, 2_500, 5_000, 10_000, 15_000, 20_000, 25_000, 50_000)


def round_dollar_suspense(inj, rng: np.random.Generator, count: int) -> None:
    """A manual entry of a round amount from an expense account to suspense, booked by a
    user of the finance team on an ordinary working day (ACFE: concealment in suspense)."""
    books = inj.books
    a = books.account
    template = inj.pick(rng, inj.source == 0, count)     # manual entries give day and user
    n = len(template)
    if n == 0:
        return
    inj.used[template] = False                            # only borrowed, not altered
    units = rng.choice(np.array(ROUND_UNITS), n)
    amount = (units * 10 ** books.exponent).astype(np.int64)
    expense = np.array([a(x) for x in (700000, 710000, 740000, 760000)])
    idx = np.arange(n)
    lines = stack_lines([
        line_set(idx, expense[rng.integers(0, len(expense), n)], amount, np.zeros(n),
                 centers(books, rng, "R2R", n)),
        line_set(idx, np.full(n, a(SUSPENSE)), np.zeros(n), amount)], n)
    start = inj.first_ids.get("GL", 1)
    inj.first_ids["GL"] = start + n
    b = block(books, posting_day=inj.posting_day[template], document_day=inj.posting_day[template],
              seconds=inj.seconds[template], document_type="SA", process="R2R",
              source="manual", header_text=pa.array(["Reclassification"] * n),
              reference_type="gl_template", reference_id=doc_ids("GL", books.code, start, n),
              partner_id=null_strings(n), lines=lines, rng=rng)
    b.creator = inj.creator[template]
    inj.label_block("round_dollar_suspense", inj.add_block(b), inj.new_schemes(n), amount)


INJECTORS = {"round_dollar_suspense": round_dollar_suspense}
