"""The web edition: a static, self-contained HTML site of one edition (no Qt, no ReportLab)."""
