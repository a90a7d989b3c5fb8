"""Pure extraction: list pages to cards, article pages to articles, on a BeautifulSoup tree (dom.py)."""

from feedbot.extract.article import page_url, parse_article
from feedbot.extract.cards import parse_list_page

__all__ = ["page_url", "parse_article", "parse_list_page"]
