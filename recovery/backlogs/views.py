"""Pages of Local Recovery Plans, returns, dashboards, data calls and releases."""
