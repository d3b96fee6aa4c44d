"""Exports for audits: spreadsheets of chamados (CSV/XLSX) and a chamado's transcript (PDF).

``tabela`` is the reusable table writer (columns, typed cells, formula neutralisation)
that any other spreadsheet export builds on.
"""
