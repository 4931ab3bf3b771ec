"""Excel import: templates with an instructions sheet, and workbooks read row by row through the
registers' forms and services (``duikou import excel``, the upload page)."""
