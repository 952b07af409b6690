"""Stage 7, render: every writer of rows (csv, tsv, json, jsonl, xlsx, terminal tables) and the plots."""
