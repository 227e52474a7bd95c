"""Positions that must never go below a floor at any moment, not only at period ends.

- Cash: the running balance of each company's cash accounts (chart sub-type ``cash``), in
  the order entries were created, never falls below minus the configured overdraft facility
  (``document_flows.overdraft_facility`` in the manifest's configuration); the flows draw on
  a credit line before it would.
- Stock: each material's quantity, replayed from the opening stock through every goods
  receipt and delivery (returns add back) in the order their entries were created, never
  goes negative. The opening stock is the first period's position less that period's
  movements, so no internal table is needed.
Both apply to books built from documents; the standalone journal generator promises neither.
"""

from __future__ import annotations

from datasynth.verify.result import CheckResult, examples, money, named, outcome, skipped
from datasynth.verify.source import PERIOD_KEY, Source


def _flows_config(src: Source) -> dict | None:
    flows = (src.manifest.get("config") or {}).get("document_flows") or {}
    return flows if flows.get("enabled", False) else None


@named("positions.cash_within_overdraft")
def check_cash(src: Source, name: str) -> CheckResult:
    if not src.has("journal_entries", "accounts"):
        return skipped(name, src.missing("journal_entries", "accounts"))
    flows = _flows_config(src)
    if flows is None:
        return skipped(name, "document flows off: cash is not managed")
    floor = -float(flows.get("overdraft_facility", 0) or 0)
    running = """WITH moves AS (
            SELECT j.company_code AS c, j.created_at AS t,
                   sum(j.debit_amount - j.credit_amount) AS v
            FROM journal_entries j JOIN accounts a USING (gl_account)
            WHERE a.sub_type = 'cash' GROUP BY ALL),
        bal AS (SELECT c, t, sum(v) OVER (PARTITION BY c ORDER BY t) AS b FROM moves)
        SELECT c, min(b) AS low, arg_min(t, b) AS moment FROM bal GROUP BY c"""
    checked = src.scalar("SELECT count(DISTINCT company_code) FROM journal_entries")
    count, rows = src.violations(f"SELECT c, low, moment FROM ({running}) WHERE low < {floor}")
    lows = src.rows(f"SELECT c, low FROM ({running}) ORDER BY c")
    detail = f"cash below {money(floor + 0.0)}: " + examples(
        rows, lambda c, low, at: f"{c} {money(low)} at {at}")
    return outcome(name, checked, count, detail, "lowest cash balance: " + ", ".join(
        f"{c} {money(low)}" for c, low in lows) + f" (overdraft facility {money(-floor)})")


@named("positions.stock_never_negative")
def check_stock(src: Source, name: str) -> CheckResult:
    need = ("inventory_positions", "goods_receipts", "deliveries", "journal_entries")
    if not src.has(*need):
        return skipped(name, src.missing(*need))
    first = src.scalar(f"SELECT min({PERIOD_KEY}) FROM journal_entries")
    if first is None:
        return skipped(name, "no journal entries")
    replay = f"""WITH created AS (
            SELECT document_id, min(created_at) AS t FROM journal_entries GROUP BY ALL),
        moves AS (
            SELECT g.company_code AS c, g.material_id AS m, {PERIOD_KEY} AS p,
                   g.quantity AS q, g.journal_entry_id AS je FROM goods_receipts g
            UNION ALL
            SELECT d.company_code, d.material_id, {PERIOD_KEY}, -d.quantity, d.journal_entry_id
            FROM deliveries d WHERE d.material_id IS NOT NULL),
        timed AS (SELECT c, m, p, q, created.t FROM moves JOIN created
                  ON created.document_id = moves.je),
        opening AS (
            SELECT c, m, sum(q) AS q FROM (
                SELECT company_code AS c, material_id AS m, quantity AS q
                FROM inventory_positions WHERE {PERIOD_KEY} = {int(first)}
                UNION ALL
                SELECT c, m, -q FROM timed WHERE p = {int(first)}) GROUP BY ALL),
        per_moment AS (SELECT c, m, t, sum(q) AS q FROM timed GROUP BY ALL),
        running AS (
            SELECT c, m, t, coalesce(o.q, 0) + sum(pm.q) OVER (PARTITION BY c, m ORDER BY t)
                   AS level
            FROM per_moment pm LEFT JOIN opening o USING (c, m))
        SELECT c, m, min(level) AS low, arg_min(t, level) AS moment FROM running GROUP BY ALL"""
    checked = src.scalar(f"SELECT count(*) FROM ({replay})")
    count, rows = src.violations(f"SELECT c, m, low, moment FROM ({replay}) WHERE low < 0")
    detail = "negative stock: " + examples(
        rows, lambda c, m, low, at: f"{c} {m} {low:,} at {at}")
    return outcome(name, checked, count, detail,
                   f"{checked:,} materials replayed through every receipt and delivery")


POSITION_CHECKS = (check_cash, check_stock)
