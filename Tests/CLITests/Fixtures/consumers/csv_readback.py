"""Read a report CSV as a spreadsheet import would: UTF-8 with BOM (or without, with --no-bom: CSV
printed to stdout), RFC 4180 (strict), CRLF. Check that writing the rows back with Python's csv
module gives the same bytes, that every row has the header's width, and that no free-text cell
starts with a character a spreadsheet would run as a formula, also after leading whitespace.
Prints `rows=N` and one line per problem; exit 1 if any."""
import csv, io, sys

args = sys.argv[1:]
bom = "--no-bom" not in args
path, *code_columns = [a for a in args if a != "--no-bom"]
raw = open(path, "rb").read()
problems = []
if bom != raw.startswith(b"\xef\xbb\xbf"):
    problems.append("no UTF-8 BOM" if bom else "a UTF-8 BOM on stdout")
text = raw.decode("utf-8-sig")
rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
header = rows[0]
for i, row in enumerate(rows[1:], start=2):
    if len(row) != len(header):
        problems.append(f"row {i}: {len(row)} cells, header has {len(header)}")
    for name, cell in zip(header, row):
        if name not in code_columns and (cell[:1] in ("=", "+", "-", "@", "\t", "\r") or cell.lstrip()[:1] in ("=", "+", "-", "@")):
            problems.append(f"row {i} column {name}: starts with {cell[:1]!r}: {cell[:40]!r}")
again = io.StringIO(newline="")
csv.writer(again, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
if again.getvalue() != text:
    problems.append("re-serialised bytes differ (quoting or line endings)")
print(f"rows={len(rows) - 1}")
for p in problems[:50]:
    print(p)
sys.exit(1 if problems else 0)
