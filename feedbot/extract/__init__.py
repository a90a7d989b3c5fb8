"""Pure extraction: list pages to cards, article pages to articles, on a BeautifulSoup tree (dom.py)."""

from feedbot.extract.article import page_url, parse_article
from feedbot.extract.cards import parse_list_page
from feedbot.extract.charset import decode_page

__all__ = ["decode_page", "page_url", "parse_article", "parse_list_page"]
