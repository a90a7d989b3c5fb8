"""The lxml extractor as it was before the move to BeautifulSoup (issue 14), kept only so that
test_extract_differential.py can compare the two on mutated pages."""
