"""The prose: numeric claims (claims.py), the problems and measures of section 五 (statements.py) with their themes
(themes.py), and the qualifier vocabulary both claims and checks use (vocabulary.py)."""
