"""The dashboard's single router (st.navigation)."""

import streamlit as st

st.set_page_config(page_title="Wahlversprechen-Tracker", layout="wide")
st.title("Wahlversprechen-Tracker")
