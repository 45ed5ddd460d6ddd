"""claimscope's core, which never imports Streamlit, so that everything in it can be tested directly.

Its packages, in the order data flows through them:

* :mod:`claimscope.ingest`: reading and validating a dataset folder, an upload or an analyst's spreadsheet;
* :mod:`claimscope.engine`: the Parquet cache the validated tables are written to, and the engines that serve
  them (DuckDB over the cache, or any Ibis backend by URL), with the filter model compiled to Ibis;
* :mod:`claimscope.queries`: the page queries, Ibis expressions over the engine under a view's filters;
* :mod:`claimscope.figures`: the figure builders, pure functions from small frames to plotly figures;
* :mod:`claimscope.views`: the pandas reference of each view, which the queries' tests hold them to.

Beside them: :mod:`claimscope.schema` (the contract, defined once), :mod:`claimscope.filters` (the filter
model and its URL parameters), :mod:`claimscope.dates` (partial dates), :mod:`claimscope.text` (text shown
and exported safely), :mod:`claimscope.authors` (the source's own analysis), and the synthetic generators.
"""

from claimscope.ingest.csvio import Problem
from claimscope.ingest.dataset import Dataset, DatasetFolderError, load_dataset, load_folder

__all__ = ["Dataset", "DatasetFolderError", "Problem", "load_dataset", "load_folder"]
