"""The documents: PDFs, charts, the month-end workbook and CSVs, a page's table as a download, and the two
documents a person takes away (the weekly summary, the client sit-down)."""
