"""The books of one company over the whole run: opening entry, every flow, VAT, financing,
numbering, and the tables they produce.

Running state is carried in a deterministic order: stock month by month (sales are confirmed
against stock at the start of the month, purchases replenish it within the month, so stock
never goes negative), then cash over every posting in date order (financing is drawn before
the account would fall below the overdraft facility).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.context import Injection
from datasynth.generators.anomalies.engine import finish as finish_anomalies
from datasynth.generators.anomalies.engine import inject
from datasynth.generators.common.arrow import constant_dictionary, dates, dictionary
from datasynth.generators.common.sampling import apportion
from datasynth.generators.ledger.flows import o2c, p2p
from datasynth.generators.ledger.flows.common import block, null_strings
from datasynth.generators.ledger.flows.general import payroll
from datasynth.generators.ledger.flows.references import references
from datasynth.generators.ledger.flows.r2r import (
    fit_to_target,
    interest,
    prepaid,
    templates,
)
from datasynth.generators.ledger.flows.stock_plan import plan_stock_and_sales
from datasynth.generators.ledger.flows.o2c import settle_receivables
from datasynth.generators.ledger.flows.payables import pay_vendors
from datasynth.generators.ledger.flows.postings import (
    Block,
    DocTable,
    finish_table,
    number_blocks,
)
from datasynth.generators.ledger.flows.revaluation import revaluation_blocks
from datasynth.generators.ledger.flows.treasury import financing, vat_returns
from datasynth.generators.ledger.journal import REF, assemble
from datasynth.money import to_decimal, to_minor_units
from datasynth.schemas.registry import table_spec

MIX = ("O2C", "P2P", "R2R", "H2R", "A2R")
CHUNK = 200_000     # journal lines per written batch


def company_tables(books, config, streams, monthly: np.ndarray, opening: pa.Table,
                   items: pa.Table) -> Iterator[tuple[str, pa.Table]]:
    blocks, injection = _blocks(books, config, streams, monthly, opening, items)
    # ---- number, write ----------------------------------------------------------------------
    # What is no longer needed is let go as soon as it is not (this generator's locals live
    # until its last table is written, with a second company's shard in flight beside it).
    numbered = number_blocks(books.code, blocks, {})
    labels = finish_anomalies(books, streams, config, injection, numbered)
    del injection
    # numbered holds its own copies of the entries and lines: of the blocks only their
    # document tables are needed from here on
    block_tables = [b.tables for b in blocks]
    opening_type = blocks[0].document_type[0]
    del blocks
    yield "ledger_activity", _activity(books, numbered, opening_type)
    starts = np.searchsorted(numbered.lines.entry, np.arange(len(numbered.entries)))
    batch = None
    for batch in _chunks(books, numbered, starts):
        yield "journal_entries", batch
    block_ids = numbered.block_ids
    del batch, numbered, starts
    docs: dict[str, list[pa.Table]] = {}
    for own, ids in zip(block_tables, block_ids):
        for name, doc in own.items():
            docs.setdefault(name, []).append(finish_table(table_spec(name), doc, ids,
                                                          books.ledger.currency))
    del block_tables, block_ids, own, ids
    tables = {k: pa.concat_tables(v).unify_dictionaries() for k, v in docs.items()}
    del docs
    for name in ("purchase_requisitions", "purchase_orders", "goods_receipts",
                 "vendor_invoices", "vendor_payments", "sales_orders", "deliveries",
                 "customer_invoices", "customer_receipts", "asset_acquisitions"):
        if name in tables:
            yield name, tables[name]
    yield "document_references", references(books.code, books.exponent, tables)
    del tables
    if labels is not None:
        yield "anomaly_labels", labels


def _blocks(books, config, streams, monthly: np.ndarray, opening: pa.Table,
            items: pa.Table) -> tuple[list[Block], Injection | None]:
    """Every block of the company's books, anomalies injected, VAT returns, financing and
    fit to the target done; and the injection (its labels). A function of its own so that
    what the flows are built from (stock plan, sales, per-flow block lists) is freed before
    the entries are numbered."""
    settings = config.document_flows
    mix = config.transactions.business_processes.model_dump()
    quotas = np.stack([apportion(int(c), [mix[p] for p in MIX]) for c in monthly])
    first_ids: dict[str, int] = {}
    balances = _balances(books, opening)
    blocks: list[Block] = [_opening_entry(books, streams("opening"), balances)]
    settlements, opening_docs = _opening_items(books, streams, settings, items, first_ids)
    blocks[0].tables.update(opening_docs)
    blocks += settlements
    # settling the opening items is part of each process's share of the entries
    for b in (b for b in settlements if len(b)):
        column = MIX.index("O2C") if b.reference_type[0] == REF["customer_receipt"] \
            else MIX.index("P2P")
        done = np.bincount(books.month_of(b.posting_day), minlength=len(books.months))
        quotas[:, column] = np.maximum(quotas[:, column] - done, 0)
    if books.currencies is not None:
        # the month-end valuation of foreign payables (and its reversal at the start of the
        # next month) is part of R2R's share, as each month's template entries are
        reval = np.full(len(quotas), 2)
        reval[0] = 1
        quotas[:, 2] = np.maximum(quotas[:, 2] - reval, 0)
    # ---- stock plan and sales, month by month ------------------------------------------------
    sales, replenish = plan_stock_and_sales(books, streams, settings, quotas[:, 0], items)
    if len(sales.order):
        blocks += o2c.build(books, streams, settings, sales, first_ids)
    p2p_quota = quotas[:, 1]
    if len(replenish):
        month = replenish.month
        lines_per_month = np.bincount(month, minlength=len(books.months))
        pos = np.maximum(1, np.minimum(lines_per_month, p2p_quota // 6))
        rng = streams("po_grouping")
        po_local = np.floor(rng.random(len(month)) * pos[month]).astype(np.int64)
        po_key = month * 1_000_000 + po_local
        stock = p2p.stock_purchases(books, streams, settings, replenish, po_key, first_ids)
        blocks += stock
        used = np.bincount(books.month_of(np.concatenate([b.posting_day for b in stock])),
                           minlength=len(books.months))
    else:
        used = np.zeros(len(books.months), np.int64)
    del sales, replenish        # the stock plan is in the blocks now; not kept through injection
    per_purchase = _entries_per_purchase(books, settings)
    services = np.rint(np.maximum(p2p_quota - used, 0) / per_purchase).astype(np.int64)
    overhead = books.revenue * books.profile.overhead_ratio / 12
    blocks += _non_stock(books, streams, settings, services, overhead, "service", first_ids)
    assets = np.rint(quotas[:, 4] / per_purchase).astype(np.int64)
    capex = books.revenue * books.profile.capex_ratio / 12
    blocks += _non_stock(books, streams, settings, assets, capex, "asset", first_ids)
    claims = np.maximum(quotas[:, 3] - 3, 0)
    payable = {k: -v for k, v in balances.items()}
    blocks += payroll(books, streams("h2r"), claims, payable)
    debt = -(balances.get(books.account(250000), 0) + balances.get(books.account(260000), 0))
    r2r_rng = streams("r2r")
    blocks += interest(books, r2r_rng, debt)
    blocks += prepaid(books, streams("prepaid"), balances.get(books.account(130000), 0),
                      int(overhead))
    # an accrual event is two entries (the accrual and its reversal): 1.35 entries an event
    events = np.maximum(np.rint((quotas[:, 2] - 2) / 1.35), 0).astype(np.int64)
    accruals, singles = templates(books, r2r_rng, events, int(overhead), first_ids)
    blocks += [accruals, singles]
    # anomalies go in before the VAT returns, the cash plan and the fit to the target see
    # the books: those follow the entries as altered (anomalies/context.py)
    company = [c.code for c in config.companies].index(books.code)
    # foreign-currency documents (and their month-end valuation) stay out of the injection:
    # an anomaly that changed one side of a line would leave the other currency behind
    foreign = [b for b in blocks if b.currency is not None]
    if foreign:
        blocks = [b for b in blocks if b.currency is None]
        foreign += revaluation_blocks(books, foreign)
    injection = _inject_local(books, streams, config, company, blocks, first_ids, foreign)
    blocks += foreign
    blocks.append(vat_returns(books, streams("vat"), blocks,
                              -balances.get(books.account(210000), 0)))
    overdraft = int(round(settings.overdraft_facility * 10 ** books.exponent))
    # the opening entry is among the blocks, so the opening cash is already in the flows
    blocks.append(financing(books, streams("financing"), blocks, 0, overdraft))
    # after financing: the entries added or dropped here touch neither cash nor VAT
    blocks = fit_to_target(books, streams("r2r_fit"), blocks, singles, int(monthly.sum()),
                           int(overhead), first_ids)
    return blocks, injection


def _inject_local(books, streams, config, company, blocks, first_ids,
                  withheld: list[Block]) -> Injection | None:
    """Anomaly injection into company-currency books: while it runs, the vendors and
    customers invoicing in their own currency are out of reach (no spend or revenue weight,
    no currency), so what an injector builds through the flows (an invoice without an order,
    a fictitious vendor's purchases, fictitious sales) is in the company currency and never
    half converted; the accounts the ``withheld`` blocks post to count as used (a dormant
    account is one nothing touches)."""
    vendors, customers = books.vendors, books.customers
    books.vendors, books.customers = _local_only(vendors), _local_only(customers)
    books.withheld_accounts = np.unique(np.concatenate(
        [np.asarray(b.account, np.int64) for b in withheld])) if withheld else None
    try:
        return inject(books, streams, config, company, blocks, first_ids)
    finally:
        books.vendors, books.customers, books.withheld_accounts = vendors, customers, None


def _local_only(partners):
    """The partners with the weight of those invoicing in a foreign currency moved to the
    others (as they are when no partner does)."""
    if partners.currency is None or not (partners.currency > 0).any():
        return partners
    local = np.where(partners.currency == 0, partners.weight, 0.0)
    if local.sum() <= 0:
        return replace(partners, currency=None)
    return replace(partners, currency=None, weight=local / local.sum())


def _activity(books, numbered, opening_type) -> pa.Table:
    entries, lines = numbered.entries, numbered.lines
    is_opening = entries.document_type[lines.entry] == opening_type
    from datasynth.generators.ledger.journal import UNBALANCED, activity, sum_by
    parts = []
    for origin, mask in (("opening", is_opening), ("business", ~is_opening)):
        parts.append(activity(books.ledger, origin, entries.posting_day[lines.entry[mask]],
                              lines.account[mask], lines.debit[mask], lines.credit[mask]))
    # an injected unbalanced entry: the ledger posts its difference to the suspense account,
    # as an ERP does with a balance difference, so the trial balance still balances
    if entries.anomaly is not None and np.any(entries.anomaly == UNBALANCED):
        net = sum_by(lines.entry, lines.debit - lines.credit, len(entries))
        odd = np.flatnonzero(net != 0)
        parts.append(activity(books.ledger, "business", entries.posting_day[odd],
                              np.full(len(odd), books.account(290000)),
                              np.maximum(-net[odd], 0), np.maximum(net[odd], 0)))
    return pa.concat_tables(parts)


def _chunks(books, numbered, starts) -> Iterator[pa.RecordBatch]:
    from datasynth.generators.ledger.journal import Entries, Lines
    e, lines = numbered.entries, numbered.lines
    count = len(e)
    position = 0
    while position < count:
        line_start = starts[position]
        stop = int(np.searchsorted(starts, line_start + CHUNK, side="left"))
        stop = max(stop, position + 1)
        line_stop = starts[stop] if stop < count else len(lines)
        sel = slice(position, stop)
        sub = Entries(e.document_id[position:stop], e.posting_day[sel], e.document_day[sel],
                      e.seconds[sel], e.document_type[sel], e.process[sel], e.source[sel],
                      e.creator[sel], e.header_text[position:stop], e.reference_type[sel],
                      e.reference_id[position:stop], e.partner_id[position:stop],
                      None if e.anomaly is None else e.anomaly[sel],
                      None if e.split is None else e.split[sel],
                      None if e.currency is None else e.currency[sel],
                      None if e.trading_partner is None else e.trading_partner[sel])
        ls = slice(line_start, line_stop)
        sub_lines = Lines(lines.entry[ls] - position, lines.account[ls], lines.debit[ls],
                          lines.credit[ls], lines.cost_center[ls],
                          None if lines.transaction_amount is None
                          else lines.transaction_amount[ls],
                          None if lines.rate is None else lines.rate[ls])
        yield assemble(books.ledger, sub, sub_lines)
        position = stop


def _balances(books, opening: pa.Table) -> dict[int, int]:
    own = opening.filter(pc.equal(opening["company_code"].cast(pa.string()), books.code))
    accounts = books.chart.positions(own["gl_account"])
    amounts = to_minor_units(own["balance"].combine_chunks(), books.exponent)
    return {int(a): int(v) for a, v in zip(accounts, amounts)}


def _opening_entry(books, rng, balances: dict[int, int]) -> Block:
    accounts = np.array(sorted(balances), dtype=np.int64)
    amounts = np.array([balances[a] for a in accounts], dtype=np.int64)
    n = len(accounts)
    lines = (np.zeros(n, np.int64), accounts, np.maximum(amounts, 0), np.maximum(-amounts, 0),
             np.full(n, -1))
    day = np.array([books.start_day])
    return block(books, posting_day=day, document_day=day - 1, seconds=np.zeros(1),
                 document_type="OB", process="R2R", source="automated",
                 header_text=pa.array(["Opening balance"]), reference_type="opening_balance",
                 reference_id=pa.array([f"OB-{books.code}"]), partner_id=null_strings(1),
                 lines=lines, rng=rng)


def _items(items: pa.Table, books, kind: str) -> pa.Table:
    own = items.filter(pc.and_(pc.equal(items["company_code"].cast(pa.string()), books.code),
                               pc.equal(items["kind"].cast(pa.string()), kind)))
    return own


def _days(column) -> np.ndarray:
    return column.combine_chunks().cast(pa.int32()).to_numpy().astype(np.int64)


def _opening_items(books, streams, settings, items: pa.Table, first_ids) -> list[Block]:
    """Opening AR and AP items become opening invoices (posted by the opening entry) and are
    settled during the run like any other invoice."""
    out: list[Block] = []
    code, ex = books.code, books.exponent
    opening_docs = {}
    for kind, partners in (("ar", books.customers), ("ap", books.vendors)):
        own = _items(items, books, kind)
        n = own.num_rows
        if n == 0:
            continue
        ids = own["item_id"].combine_chunks().cast(pa.string())
        partner = pc.index_in(own["partner_id"].combine_chunks().cast(pa.string()),
                              value_set=partners.ids).fill_null(0).to_numpy().astype(np.int64)
        day, due = _days(own["document_date"]), _days(own["due_date"])
        gross = to_minor_units(own["amount"].combine_chunks(), ex)
        control = books.chart.positions(own["control_account"])
        zeros = to_decimal(np.zeros(n, np.int64), ex)
        common = {"invoice_id": ids, "company_code": constant_dictionary(code, n),
                  "invoice_date": dates(day), "due_date": dates(due),
                  "net_amount": to_decimal(gross, ex), "tax_amount": zeros,
                  "gross_amount": to_decimal(gross, ex), "tax_rate": pa.array(np.zeros(
                      n, np.float32)), "control_account": dictionary(control, books.chart.numbers),
                  "is_opening": pa.array(np.ones(n, bool))}
        if kind == "ar":
            common.update({"customer_id": partners.ids.take(pa.array(partner)),
                           "invoice_type": constant_dictionary("invoice", n),
                           "sales_order_id": null_strings(n), "delivery_id": null_strings(n)})
            opening_docs["customer_invoices"] = DocTable(common, np.zeros(n, np.int64),
                                                         np.full(n, books.start_day))
            # terms measured from the original invoice date; already-due items pay soon
            out += settle_receivables(books, streams("opening_ar"), settings, ids, partner,
                                      day, gross,
                                      control, first_ids)
        else:
            common.update({"vendor_id": partners.ids.take(pa.array(partner)),
                           "invoice_type": constant_dictionary("invoice", n),
                           "purchase_order_id": null_strings(n),
                           "vendor_reference": ids, "posting_date": dates(day),
                           # the vendor's terms, which its payment follows
                           "discount_date": pa.array(
                               (day + partners.discount_days[partner]).astype(np.int32),
                               mask=partners.discount_percent[partner] <= 0).view(pa.date32()),
                           "discount_percent": pa.array(
                               partners.discount_percent[partner].astype(np.float32)),
                           "match_status": constant_dictionary("not_applicable", n),
                           "price_variance": zeros, "is_blocked": pa.array(np.zeros(n, bool))})
            opening_docs["vendor_invoices"] = DocTable(common, np.zeros(n, np.int64),
                                                       np.full(n, books.start_day))
            out.append(pay_vendors(books, streams("opening_ap"), settings, ids, partner, day,
                                   gross, control, np.zeros(n, bool), "P2P", first_ids))
    return out, opening_docs


def _entries_per_purchase(books, settings) -> np.ndarray:
    """Expected entries of a non-stock purchase ordered in each month: its invoice, and one
    or two payments when they fall inside the run. Near the end of the run more payments
    fall after it, so a month's quota takes more (smaller) purchases of the same budget."""
    lag = float(books.vendors.weight @ books.vendors.terms_days) + 10   # invoice + terms
    mid = np.array([d.mean() for d in books.month_days])
    inside = np.clip((books.end_day - mid - lag) / 30 + 0.5, 0.0, 1.0)
    return 1 + inside * (1 + settings.partial_payment_rate)


def _non_stock(books, streams, settings, counts, monthly_budget, kind, first_ids):
    month = np.repeat(np.arange(len(counts)), counts)
    if len(month) == 0:
        return []
    rng = streams(f"{kind}_amounts")
    weights = rng.lognormal(0, 1.0, len(month))
    per_month = np.bincount(month, weights=weights, minlength=len(counts))
    amount = np.maximum(np.rint(weights / per_month[month] * monthly_budget), 100).astype(
        np.int64)
    return p2p.non_stock_purchases(books, streams, settings, month, amount, kind, first_ids)
