"""The pages of the dashboard: one module each, each page one named function (see ``dashboard.routes``)."""
