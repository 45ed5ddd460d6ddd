"""Figure builders: pure functions, data in, ``plotly.graph_objects.Figure`` out (no globals, no Streamlit)."""
