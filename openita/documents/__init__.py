"""Official Thai documents: one document model rendered to PDF, DOCX and HTML; Thai text helpers."""
