"""claimscope's core: the schema, loading and validation, the filter model and the figure builders.

This package never imports Streamlit, so that everything in it can be tested directly.
"""

from claimscope.csvio import Problem
from claimscope.dataset import Dataset, DatasetFolderError, load_dataset, load_folder

__all__ = ["Dataset", "DatasetFolderError", "Problem", "load_dataset", "load_folder"]
