"""Back-testing a draft promotion against recent history."""

urls = []
