"""Stored articles -> the published directory: Atom feeds (atom.py, the only feedgen user),
index page and OPML (pages.py), and the static files beside them (feed.xsl, icons)."""
