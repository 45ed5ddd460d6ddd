"""The page queries: what each page asks of the engine, as Ibis expressions, and the bounded answers.

Every page's data (the filter options with their counts, the headline numbers, the claims table's
page, a claim's detail and thread, the timeline's marks and aggregates, the relation pairs, an actor's
profile, a comparison, the exports) is built here as an expression over :class:`Scope`, which holds
the one :class:`claimscope.engine.Engine` of the dataset and this view's
:class:`claimscope.filters.Filters`. Only small results come back, as pandas frames typed as the
loader types them (:func:`as_loaded`), so that the figure builders and tables of :mod:`claimscope`
take them unchanged. The same expressions run on DuckDB over the cache, on an upload's in-memory
DuckDB, and on any warehouse Ibis reaches (PostgreSQL in CI; BigQuery, Snowflake and Trino compile).

One module per page's concern; none imports Streamlit. The pandas functions of :mod:`claimscope.views`
(:mod:`claimscope.views.overview`, :mod:`claimscope.views.timeline` …) stay the reference the tests hold these
queries to.
"""

from __future__ import annotations

from claimscope.queries.scope import Scope, as_loaded

__all__ = ["Scope", "as_loaded"]
