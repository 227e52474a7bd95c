"""The stock plan: each month's sales, and the replenishment that keeps stock in line with
the industry's inventory days.

Periodic review, once a month (the classic (R, s, S) policy of inventory control): at the
start of month m the planner knows the month's sales orders, and orders from vendors
whatever those need beyond the stock on hand, plus enough to end the month at the target
stock, rounded up to whole lots. What the month's sales need right away is received on the
first working day, before any delivery; the rest of a lot may arrive later in the month. So
no sale waits for stock, stock never goes negative, and the month-end stock moves between the
target and the target plus a lot, averaging the industry's days of inventory (DIO).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.ledger import economics
from datasynth.generators.ledger.flows import o2c
from datasynth.generators.ledger.flows.o2c import SalesLines

LOT_MONTHS = 0.5       # a purchase lot: half a month of a material's expected sales
# Business journal entries of a sales order: delivery, invoice and receipt, plus partial
# shipments and payments, and now and then a return (three entries); a service order has
# no delivery.
ENTRIES_PER_GOODS_ORDER = 3.2
ENTRIES_PER_SERVICE_ORDER = 2.05


@dataclass
class Replenishment:
    """Purchase lines of stock materials: one per material and month that needs stock."""

    material: np.ndarray
    quantity: np.ndarray
    month: np.ndarray
    urgent: np.ndarray        # units needed on the month's first working day (the rest can
    #                           wait)

    def __len__(self) -> int:
        return len(self.material)


def opening_stock(books, items: pa.Table) -> np.ndarray:
    """Units on hand per sellable material from the opening inventory items."""
    stock = np.zeros(len(books.material_ids), np.int64)
    inv = items.filter(pc.and_(
        pc.equal(items["company_code"].cast(pa.string()), books.code),
        pc.equal(items["kind"].cast(pa.string()), "inventory")))
    if inv.num_rows and len(stock):
        pos = pc.index_in(inv["item_id"].combine_chunks().cast(pa.string()),
                          value_set=books.material_ids)
        ok = pc.is_valid(pos).to_numpy(zero_copy_only=False)
        np.add.at(stock, pos.to_numpy(zero_copy_only=False)[ok].astype(np.int64),
                  inv["quantity"].to_numpy()[ok])
    return stock


def credit_checked_month(books, rng, orders: int, revenue: int, month: int,
                         release_rate: float) -> dict[str, np.ndarray]:
    """A month's orders after the credit check: an order whose gross exceeds the customer's
    credit limit is released by credit management (``release_rate``) or rejected. Rejected
    orders stay on the books as orders but are never shipped, so as many orders again are
    taken (customers come back with smaller orders) to keep the month's sales."""
    plan = _checked(books, rng, orders, revenue, month, release_rate)
    rejected = np.unique(plan["order"][plan["credit_check"] == 2])
    if len(rejected):
        more = _checked(books, rng, len(rejected), revenue * len(rejected) // orders, month,
                        release_rate)
        more["order"] = more["order"] + orders
        plan = {k: np.concatenate([plan[k], more[k]]) for k in plan}
        # number orders by date, as an ERP numbers documents
        first = np.searchsorted(np.sort(plan["order"]), np.arange(orders + len(rejected)))
        by_order = np.argsort(plan["order"], kind="stable")
        day_of_order = plan["day"][by_order][first]
        rank = np.empty(len(day_of_order), np.int64)
        rank[np.lexsort((np.arange(len(day_of_order)), day_of_order))] = \
            np.arange(len(day_of_order))
        plan["order"] = rank[plan["order"]]
        line_order = np.lexsort((np.arange(len(plan["order"])), plan["order"]))
        plan = {k: v[line_order] for k, v in plan.items()}
    return plan


def _checked(books, rng, orders, revenue, month, release_rate) -> dict[str, np.ndarray]:
    plan = o2c.plan_month(books, rng, orders, revenue, month)
    order_net = np.bincount(plan["order"], weights=plan["quantity"] * plan["price"],
                            minlength=orders)
    first_line = np.searchsorted(plan["order"], np.arange(orders))
    limit = books.customers.credit_limit[plan["customer"][first_line]]
    over = order_net * (1 + books.vat) > limit
    released = rng.random(orders) < release_rate
    plan["credit_check"] = np.where(over, np.where(released, 1, 2), 0)[plan["order"]]
    return plan


def plan_stock_and_sales(books, streams, settings, o2c_quota: np.ndarray,
                         items: pa.Table) -> tuple[SalesLines, Replenishment]:
    n_mat = len(books.material_ids)
    stock = opening_stock(books, items)
    p = books.profile
    weights = economics.sales_weights(n_mat) if n_mat else np.zeros(0)
    monthly_units = (books.revenue * (1 - p.service_share) / 12 * weights
                     / np.maximum(books.material_price, 1)) if n_mat else np.zeros(0)
    lot = np.maximum(np.rint(monthly_units * LOT_MONTHS), 1).astype(np.int64)
    # month-end stock lies in [target, target + lot): aim its middle at the DIO
    target = np.maximum(np.rint(monthly_units * p.dio / 30 - lot / 2), 0).astype(np.int64)
    per_order = ((1 - p.service_share) * ENTRIES_PER_GOODS_ORDER
                 + p.service_share * ENTRIES_PER_SERVICE_ORDER)
    month_weight = np.array([w.sum() for w in books.month_weights])
    revenue_month = books.revenue * len(books.months) / 12 * month_weight / month_weight.sum()
    parts, buys = [], []
    order_base = 0
    for m in range(len(books.months)):
        orders = max(int(round(o2c_quota[m] / per_order)), 1 if o2c_quota[m] else 0)
        if orders == 0:
            continue
        plan = credit_checked_month(books, streams(f"sales_{m}"), orders,
                                    int(revenue_month[m]), m, settings.credit_release_rate)
        _, local = np.unique(plan["order"], return_inverse=True)
        plan["order"] = local + order_base
        order_base += int(local.max()) + 1 if len(local) else 0
        parts.append(plan)
        if n_mat == 0:
            continue
        goods = (plan["material"] >= 0) & (plan["credit_check"] != 2)
        demand = np.zeros(n_mat, np.int64)
        np.add.at(demand, plan["material"][goods], plan["quantity"][goods])
        short = demand + target - stock
        need = np.where(short > 0, -(-short // lot) * lot, 0)
        buy = np.flatnonzero(need)
        urgent = np.minimum(np.maximum(demand - stock, 0), need)
        buys.append((buy, need[buy], np.full(len(buy), m), urgent[buy]))
        stock += need - demand
    def cat(key: str) -> np.ndarray:
        return (np.concatenate([part[key] for part in parts]) if parts
                else np.zeros(0, np.int64))

    sales = SalesLines(cat("order"), cat("customer"), cat("day"), cat("month_end"),
                       cat("material"), cat("quantity"), cat("price"), cat("credit_check"))
    columns = [np.concatenate([b[i] for b in buys]) if buys else np.zeros(0, np.int64)
               for i in range(4)]
    return sales, Replenishment(*columns)
