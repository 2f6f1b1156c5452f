"""Limits on input size, configurable by environment so a deployment can raise them."""

import os

MAX_UPLOAD_BYTES = int(os.environ.get("GONGKAI_MAX_UPLOAD_MB", "50")) * 2**20
# About 150 pages, ten times the longest report we have (a 6-page PDF or a Pingtan page is 6,000-15,000
# characters): longer text is a bundle of reports or not a report, and reading it would take most of a minute.
MAX_TEXT_CHARS = int(os.environ.get("GONGKAI_MAX_TEXT_CHARS", "300000"))
# A PDF is refused on its page count before any page is read: 200 pages is several times the longest report.
MAX_PAGES = int(os.environ.get("GONGKAI_MAX_PAGES", "200"))
