"""Publishing articles (files, folders, JSON, JSONL, HTML) to ``articles.raw``."""
