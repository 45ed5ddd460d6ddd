"""The straightforward Streamlit app the benchmark compares claimscope with (issue 6).

Cached ``read_csv``, filter with plain pandas, plot every point, show every row. Not part of the
product: ``bench/benchmark.py --browser`` serves it to time a page in the same browser as the app.
"""

import os

import pandas as pd
import plotly.express as px
import streamlit as st

FOLDER = os.environ.get("CLAIMSCOPE_DATA_DIR", "data")


@st.cache_data
def claims() -> pd.DataFrame:
    return pd.read_csv(os.path.join(FOLDER, "claims.csv"), dtype=str, keep_default_na=False)


frame = claims()
stances = st.sidebar.multiselect("Stance", sorted(frame["stance"].unique()), key="stance", bind="query-params")
shown = frame[frame["stance"].isin(stances)] if stances else frame
st.title("Baseline")
st.caption(f"{len(shown)} of {len(frame)} statements")
st.plotly_chart(px.scatter(shown, x="date", y="speaker_country", color="stance", hover_data=["speaker"]))
st.dataframe(shown)
