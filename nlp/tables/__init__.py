"""Tables 2–4 and the pre-2019 统计表 as canonical cells: the template's schema and arithmetic (schema.py,
tables.json), the grid reader (grid.py), the 统计表 reader (stat.py), the digit-run solver (split.py), and
settling open splits by what the prose states (settle.py)."""
