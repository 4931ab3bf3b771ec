"""Reports as documents: the 年度工作总结 (.docx) and the standard tables (.xlsx), built from the
figures of :mod:`duikou.reports.selectors` and the registers' records."""
