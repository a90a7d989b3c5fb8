"""Publish: write the output directory from the store: feeds, archives, pages, each validated
before it is written atomically."""
