"""Group tables: intercompany pairs and open items, and the consolidation (docs/intercompany.md).

Amounts are ``decimal128(18, 2)`` like every money column; signed balances are debit
positive. Consolidation amounts are in the group currency (``global.group_currency``).
"""

import pyarrow as pa

from datasynth.schemas.base import CODE, DATE, KEY, MONEY, column, spec
from datasynth.schemas.fx import RATE


def _period() -> tuple[pa.Field, ...]:
    return (column("fiscal_year", pa.int16(), "Fiscal year."),
            column("fiscal_period", pa.int8(), "Fiscal period (month) 1-12."))


INTERCOMPANY_PAIRS = spec(
    "intercompany_pairs", ("pair_id",),
    "Intercompany transactions: each seller (or lender) document with its buyer (or "
    "borrower) document and both amounts; matched unless labelled a timing difference or "
    "an injected mismatch.",
    column("pair_id", KEY, "Pair id, IC-<seller>-<buyer>-<year>-<sequence>."),
    column("activity", CODE, "goods, services, management_fee, loan or loan_interest."),
    column("seller_company", CODE, "Seller, service provider or lender (company_code)."),
    column("buyer_company", CODE, "Buyer, service recipient or borrower (company_code)."),
    column("seller_document_id", KEY, "Seller's journal entry (journal_entries.document_id)."),
    column("buyer_document_id", KEY, "Buyer's journal entry (journal_entries.document_id)."),
    column("seller_posting_date", DATE, "Seller's posting date."),
    column("buyer_posting_date", DATE, "Buyer's posting date (later for a timing "
                                       "difference)."),
    column("transaction_currency", CODE, "Invoice currency: the seller's."),
    column("transaction_amount", MONEY, "Invoiced amount in the transaction currency."),
    column("seller_currency", CODE, "Seller's company currency."),
    column("seller_amount", MONEY, "Receivable the seller booked, in its currency."),
    column("buyer_currency", CODE, "Buyer's company currency."),
    column("buyer_transaction_amount", MONEY, "Amount the buyer booked, in the transaction "
                                              "currency (differs on a mismatch)."),
    column("buyer_amount", MONEY, "Payable the buyer booked, in its currency."),
    column("exchange_rate", RATE, "Buyer-currency units per transaction-currency unit the "
                                  "buyer converted at."),
    column("settlement_date", DATE, "Day the item was settled (null: open at the end of "
                                    "the run, or a loan).", nullable=True),
    column("match_status", CODE, "matched, timing_difference or amount_mismatch."),
    column("is_injected", pa.bool_(), "The difference was injected deliberately (a "
                                      "labelled mismatch)."),
)

INTERCOMPANY_OPEN_ITEMS = spec(
    "intercompany_open_items", ("company_code", "fiscal_year", "fiscal_period", "pair_id",
                                "gl_account"),
    "Intercompany subledger: open receivables, payables and loans at each period end in "
    "both currencies, revalued at the closing rate; sums to the intercompany accounts.",
    column("company_code", CODE, "Company holding the item."),
    *_period(),
    column("partner_company", CODE, "Group company on the other side."),
    column("pair_id", KEY, "intercompany_pairs.pair_id."),
    column("document_id", KEY, "The company's journal entry that opened the item."),
    column("gl_account", CODE, "Intercompany account the item sits on."),
    column("transaction_currency", CODE, "Currency of the item."),
    column("transaction_amount", MONEY, "Open amount in the transaction currency, signed "
                                        "(debit positive)."),
    column("booked_amount", MONEY, "Open amount in company currency at the booking rate, "
                                   "signed."),
    column("closing_rate", RATE, "Company-currency units per transaction-currency unit at "
                                 "the period end."),
    column("revalued_amount", MONEY, "Open amount at the closing rate, signed; the "
                                     "account's balance is the sum of these."),
    column("unrealised_fx", MONEY, "revalued_amount - booked_amount (posted to 820100 at "
                                   "the period end, reversed on the 1st)."),
)

INTERCOMPANY_ACTIVITY = spec(
    "intercompany_activity", ("company_code", "fiscal_year", "fiscal_period", "gl_account",
                              "trading_partner"),
    "Internal: debit and credit totals of the intercompany phase's postings per company, "
    "period, account and trading partner; the consolidation eliminates from these.",
    column("company_code", CODE, "Company code."),
    *_period(),
    column("gl_account", CODE, "Account."),
    column("trading_partner", CODE, "Group company on the other side."),
    column("debit", pa.int64(), "Sum of debits in minor units of the company currency."),
    column("credit", pa.int64(), "Sum of credits in minor units of the company currency."),
    exported=False,
)

TRANSLATED_TRIAL_BALANCES = spec(
    "translated_trial_balances", ("company_code", "fiscal_year", "fiscal_period",
                                  "gl_account"),
    "Each company's trial balance translated to the group currency (IAS 21.39): assets and "
    "liabilities at the closing rate, income and expenses at monthly average rates, equity "
    "at historical rates, the difference in the currency translation reserve.",
    column("company_code", CODE, "Company code."),
    *_period(),
    column("gl_account", CODE, "Account (330000 carries the translation reserve)."),
    column("account_type", CODE, "asset, liability, equity, revenue or expense."),
    column("local_currency", CODE, "Company currency."),
    column("local_balance", MONEY, "Closing balance in company currency, signed."),
    column("rate_type", CODE, "closing, average, historical or reserve."),
    column("group_currency", CODE, "Group currency."),
    column("translated_balance", MONEY, "Closing balance in group currency, signed."),
)

CONSOLIDATION_ELIMINATIONS = spec(
    "consolidation_eliminations", ("elimination_id", "line_number"),
    "Consolidation entries per period end, in the group currency, each balancing: "
    "intercompany balances, revenue and expenses, unrealised profit in stock, investment "
    "against equity, non-controlling interests (IFRS 10 B86). They adjust the cumulative "
    "balances at that period end; every period carries its full set.",
    column("elimination_id", KEY, "ELIM-<year>-<period>-<sequence>."),
    *_period(),
    column("elimination_type", CODE, "in_transit, ic_balances, ic_loans, ic_revenue, "
                                     "unrealised_profit, investment or nci."),
    column("line_number", pa.int32(), "Line within the elimination, from 1."),
    column("company_code", CODE, "Company whose translated balance the line adjusts."),
    column("partner_company", CODE, "The other group company, if any.", nullable=True),
    column("gl_account", CODE, "Account."),
    column("debit", MONEY, "Debit in group currency (0 on credit lines)."),
    column("credit", MONEY, "Credit in group currency (0 on debit lines)."),
    column("text", CODE, "What the line eliminates."),
)

CONSOLIDATED_TRIAL_BALANCES = spec(
    "consolidated_trial_balances", ("fiscal_year", "fiscal_period", "gl_account"),
    "The group's trial balance per period end in the group currency: the translated "
    "balances of every company plus the eliminations; sums to zero.",
    *_period(),
    column("gl_account", CODE, "Account."),
    column("account_type", CODE, "asset, liability, equity, revenue or expense."),
    column("currency", CODE, "Group currency."),
    column("aggregated_balance", MONEY, "Sum of the companies' translated balances."),
    column("eliminations", MONEY, "Sum of the elimination lines, signed."),
    column("closing_balance", MONEY, "aggregated_balance + eliminations, signed."),
)

GROUP_TABLES = (INTERCOMPANY_PAIRS, INTERCOMPANY_OPEN_ITEMS, INTERCOMPANY_ACTIVITY,
                TRANSLATED_TRIAL_BALANCES, CONSOLIDATION_ELIMINATIONS,
                CONSOLIDATED_TRIAL_BALANCES)
