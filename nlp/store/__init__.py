"""The results store: every report of a corpus, its cells, claims, findings, statements and warnings, in SQL."""

from nlp.store.store import Store, StoreError, store_url

__all__ = ["Store", "StoreError", "store_url"]
