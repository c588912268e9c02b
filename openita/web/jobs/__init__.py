"""Long background jobs done exactly once, on either queue (docs/decisions/0019)."""
