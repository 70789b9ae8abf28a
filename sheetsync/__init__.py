"""sheetsync: the scheduled worker of a digital-village (Duta Digital) programme.

Reads the programme's staff spreadsheets and the marketplaces' seller-centre exports,
validates them, keeps a durable ledger, computes KPIs and writes reports.
See DEVELOPERS.md for how the code is laid out.
"""

__version__ = "0.1.0"
