"""The framework's floor for bench/pages.py: a Streamlit app that draws one constant plotly bar chart.

Run by the benchmarks with ``streamlit run bench/floor_app.py``. ``make bench`` runs every
``bench/*.py`` with plain Python too; then it only says what it is and exits 0.
"""

import sys

if __name__ == "__main__" and "streamlit" not in sys.modules:
    print("bench/floor_app.py: the floor app for bench/pages.py (started there with `streamlit run`); nothing to do.")
    sys.exit(0)

import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402

figure = go.Figure(go.Bar(x=["A", "B", "C", "D", "E", "F"], y=[3, 1, 4, 1, 5, 9]))
st.plotly_chart(figure)
