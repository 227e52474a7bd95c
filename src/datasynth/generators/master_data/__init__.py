"""Master data: companies, cost centers, employees, vendors, customers, materials and assets.

Pure functions: configuration, a chart of accounts and a ``numpy.random.Generator`` in, an
Arrow table matching its schema in ``datasynth.schemas.master_data`` out. All randomness comes
from the given generator, so the same inputs always give byte-identical tables.
"""

from datasynth.generators.master_data.companies import build_companies
from datasynth.generators.master_data.cost_centers import generate_cost_centers
from datasynth.generators.master_data.customers import generate_customers
from datasynth.generators.master_data.employees import generate_employees
from datasynth.generators.master_data.fixed_assets import generate_fixed_assets
from datasynth.generators.master_data.materials import generate_materials
from datasynth.generators.master_data.vendors import generate_vendors

__all__ = ["build_companies", "generate_cost_centers", "generate_customers",
           "generate_employees", "generate_fixed_assets", "generate_materials",
           "generate_vendors"]
