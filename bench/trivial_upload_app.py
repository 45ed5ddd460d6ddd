"""A trivial Streamlit app that only takes an upload: what Streamlit itself costs for a file at the limit.

``bench/engine_benchmark.py --only-uploads`` uploads the same claims.csv to it as to the app's Data page, in the same
run, so that the app's memory above idle can be read against what the file uploader costs before any of claimscope's
work. It says how many bytes it received, in the words the benchmark waits for. Not part of the product.
"""

import streamlit as st

uploads = st.file_uploader("Dataset files", accept_multiple_files=True, key="uploads")
if uploads:
    st.write(f"Rows that passed: {sum(upload.size for upload in uploads):,} bytes received")
