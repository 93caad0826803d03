"""File intake shared by every import (org CSV, receipts CSV/Excel, the question bank).

One place for what an uploaded file may cost and how it is read: size limits
(`limits`), decoding and CSV reading that turn any parse failure into a named row error
(`text`), Excel workbooks read within bounds (`workbook`), and the row errors with the
rejection they raise (`errors`). Domain apps parse their own columns on top of it.
"""
