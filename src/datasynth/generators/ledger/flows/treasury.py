"""Month-end treasury: the VAT return and financing that keeps cash above the overdraft floor.

VAT (output minus input of a month) is settled with the tax office on the 10th of the next
month (the next working day when the 10th is not one); a month whose input exceeds its output
gets a refund. Financing: the running balance of the operating bank account is computed from
every posting in date order; in a month where it would fall below minus the overdraft
facility, the company draws on its short-term credit line on the first working day of that
month (or on the last working day before the account would dip, when a payment run in the
small hours or on a weekend day comes first), in round amounts.
"""

from __future__ import annotations

import numpy as np

from datasynth.generators.ledger.flows.common import (
    block,
    doc_ids,
    header,
    null_strings,
)
from datasynth.generators.ledger.flows.postings import Block, stack_lines


def _cat(blocks: list[Block], account: int, seconds: bool = False) -> tuple[np.ndarray, ...]:
    """Posting day and net (debit - credit) of every line on ``account``; with ``seconds``,
    also the second of the day its entry was created at."""
    days, nets, secs = [], [], []
    for b in blocks:
        mask = b.account == account
        if mask.any():
            days.append(b.posting_day[b.line_entry[mask]])
            nets.append(b.debit[mask] - b.credit[mask])
            secs.append(np.asarray(b.seconds, np.int64)[b.line_entry[mask]])
    out = ((np.concatenate(days), np.concatenate(nets), np.concatenate(secs)) if days else
           (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)))
    return out if seconds else out[:2]


DAY = 86_400
DRAW_SECOND = 7 * 3600          # the treasurer draws on the credit line at 07:00


def vat_returns(books, rng, blocks: list[Block], opening_payable: int) -> Block:
    a = books.account
    months = len(books.months)
    first = np.array([d.min() for d in books.month_days])
    month_of = lambda days: np.searchsorted(first, days, side="right") - 1
    out_days, out_net = _cat(blocks, a(210000))
    in_days, in_net = _cat(blocks, a(116000))
    output = -np.bincount(month_of(out_days), weights=out_net, minlength=months).astype(np.int64)
    inputs = np.bincount(month_of(in_days), weights=in_net, minlength=months).astype(np.int64)
    # settle month m on the 10th of month m+1; the opening payable in the first month
    settle_out = np.r_[opening_payable, output[:-1]]
    settle_in = np.r_[0, inputs[:-1]]
    net = settle_out - settle_in
    idx = np.arange(months)
    z = np.zeros(months, np.int64)
    lines = stack_lines([
        (idx, np.full(months, a(210000)), np.maximum(settle_out, 0), np.maximum(-settle_out, 0),
         np.full(months, -1)),
        (idx, np.full(months, a(116000)), np.maximum(-settle_in, 0), np.maximum(settle_in, 0),
         np.full(months, -1)),
        (idx, np.full(months, a(100000)), np.maximum(-net, 0), np.maximum(net, 0),
         np.full(months, -1))], months)
    keep = (lines[2] != 0) | (lines[3] != 0)
    lines = tuple(x[keep] for x in lines)
    has = np.isin(idx, lines[0])
    sel = np.flatnonzero(has)
    remap = np.full(months, -1)
    remap[sel] = np.arange(len(sel))
    lines = (remap[lines[0]],) + lines[1:]
    last = np.array([d.max() for d in books.month_days])
    day = books.working_day(np.minimum(first[sel] + 9, last[sel]) + z[sel])
    return block(books, posting_day=day, document_day=day,
                 seconds=np.full(len(sel), 10 * 3600), document_type="SA", process="R2R",
                 source="automated", header_text=header(["VAT return"], np.zeros(len(sel), int)),
                 reference_type="vat_return", reference_id=doc_ids("VAT", books.code, 1,
                                                                   len(sel)),
                 partner_id=null_strings(len(sel)), lines=lines, rng=rng)


def financing(books, rng, blocks: list[Block], opening_cash: int, overdraft: int) -> Block:
    """Credit-line draws so the operating account never falls below ``-overdraft``: at 07:00
    on the month's first working day, or at 07:00 on the last working day before the moment
    the account would first fall below the floor, should that come earlier (a payment run
    in the small hours of that day, or on a weekend day before it)."""
    a = books.account
    days, nets, secs = _cat(blocks, a(100000), seconds=True)
    # the moments the balance moves, in the order the entries are created
    moment = days * DAY + secs
    timed = np.lexsort((nets, moment))
    moment, timed_running = moment[timed], opening_cash + np.cumsum(nets[timed])
    order = np.lexsort((nets, days))           # prudent: a day's outflows come first
    days, nets = days[order], nets[order]
    running = opening_cash + np.cumsum(nets)
    first = np.array([d.min() for d in books.month_days])
    unit = 10_000 * 10 ** books.exponent
    draws = np.zeros(len(first), np.int64)
    draw_at = books.first_working * DAY + DRAW_SECOND
    drawn = 0
    for m, start in enumerate(first):
        end = first[m + 1] if m + 1 < len(first) else books.end_day
        mask = (days >= start) & (days < end)
        if not mask.any():
            continue
        low = int(running[mask].min()) + drawn
        need = -overdraft - low
        if need > 0:
            amount = -(-need // unit) * unit + unit * 5      # round up, keep a buffer
            draws[m] = amount
            below = (moment >= start * DAY) & (moment < end * DAY) \
                & (timed_running + drawn < -overdraft)
            if below.any() and moment[below].min() < draw_at[m]:
                breach = int(moment[below].min())
                day = int(books.working.on_or_before((breach - DRAW_SECOND - 1) // DAY))
                draw_at[m] = (day * DAY + DRAW_SECOND if day >= books.start_day
                              else breach)     # no working day before it in the run
            drawn += amount
    sel = np.flatnonzero(draws)
    n = len(sel)
    idx = np.arange(n)
    lines = stack_lines([(idx, np.full(n, a(100000)), draws[sel], np.zeros(n, np.int64),
                          np.full(n, -1)),
                         (idx, np.full(n, a(250000)), np.zeros(n, np.int64), draws[sel],
                          np.full(n, -1))], n)
    day, second = draw_at[sel] // DAY, draw_at[sel] % DAY
    return block(books, posting_day=day, document_day=day, seconds=second,
                 document_type="SA", process="R2R", source="manual",
                 header_text=header(["Drawdown of credit line"], np.zeros(n, int)),
                 reference_type="financing", reference_id=doc_ids("FIN", books.code, 1, n),
                 partner_id=null_strings(n), lines=lines, rng=rng)
