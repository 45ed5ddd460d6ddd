"""Reading and validating a dataset: a folder, an upload or an analyst's own spreadsheet, in the contract's shape.

This package owns everything between the bytes of a file and a validated :class:`~claimscope.ingest.dataset.Dataset`:

* :mod:`~claimscope.ingest.csvio` reads CSV keeping every cell's line and column, and
  :mod:`~claimscope.ingest.sheets` reads ``.xlsx`` keeping every cell's sheet, row and column, so that a
  problem is always reported as ``file:line:column: message``;
* :mod:`~claimscope.ingest.validation` checks the rows against :mod:`claimscope.schema` (pandera, every
  failure collected at once) and :mod:`~claimscope.ingest.places` knows the codes a dataset need not define
  (ISO 3166-1 and the groups of ``groups.csv``);
* :mod:`~claimscope.ingest.dataset` loads a folder into typed frames, sets rejected rows aside (counted, listed,
  downloadable) and flags the source's own analysis; :mod:`~claimscope.ingest.gaps` says what a dataset cannot show;
* :mod:`~claimscope.ingest.upload` takes files from the browser, :mod:`~claimscope.ingest.importer` and
  :mod:`~claimscope.ingest.writtendates` an analyst's list with its own headers, names and written dates;
* :mod:`~claimscope.ingest.coverage` writes the coverage table of a dataset (``python -m claimscope coverage``).

What happens next is :mod:`claimscope.engine`'s: the validated tables are written once to the Parquet cache
and served from there.
"""
