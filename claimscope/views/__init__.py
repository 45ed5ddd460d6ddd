"""What each view computes, in pandas: the reference the engine's page queries are held to, and the small
helpers the pages share.

One module per view (:mod:`~claimscope.views.overview`, :mod:`~claimscope.views.timeline`,
:mod:`~claimscope.views.trends`, :mod:`~claimscope.views.cascade`, :mod:`~claimscope.views.relations`,
:mod:`~claimscope.views.actor`, :mod:`~claimscope.views.compare`, :mod:`~claimscope.views.table`,
:mod:`~claimscope.views.export`, :mod:`~claimscope.views.provenance`, :mod:`~claimscope.views.links`), each
a table in and a small table out. The pages never call the data functions here on the whole dataset: they ask
:mod:`claimscope.queries`, whose tests hold every query to these functions on every engine. The pages do use
the helpers that need no data (a chart click read as a claim id, a period's bounds, a link to a profile).
"""
