"""File intake shared by every import (org files, receipts, the question bank, the POS API).

One place for what an uploaded file may cost and how it is read: size limits
(`limits`), decoding and CSV reading that turn any parse failure into a named row error
(`text`), Excel workbooks read within bounds (`workbook`), the row errors with the
rejection they raise (`errors`), and typed rows: an import declares its row once
(`rows.RowSpec` of `rows.Field`s with parsers from `fields`), and CSV, Excel and dict
payloads feed the same fields (`rows.csv_table`, `xlsx_table`, `records_table`,
`rows_read`). Nothing here writes.
"""
