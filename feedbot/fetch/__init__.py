"""Fetch: the polite HTTP client (robots.txt, pacing, retries, size caps, charset) and WebSub
pings. The only httpx and protego users."""
