"""Every default of the library and the command line, defined once (no imports: the CLI reads it at start)."""

UNIT = "paragraph"  # unit of analysis: document, paragraph, sentence or window:N
MIN_UNIT_TOKENS = 50  # short paragraphs merge until a unit holds this many content tokens
MAX_DOC_MB = 64  # a document (file, stdin or table cell) larger than this is skipped
MAX_LINE_CHARS = 100_000  # a document with a longer line is skipped (not running text)
TEXT_COLUMN = "text"
POS = "nouns"  # terms of the analyses; tokenize and info show every token ("all")
STOPLIST = "reports"  # bundled stopword list of the analyses (tokenize and info: "none")
STOPLISTS = ("reports", "legal", "none")
HANJA = "keep"  # "hangul": Hanja are read as their Hangul reading (休職 -> 휴직)
K = "auto"
K_RANGE = "4:12"
METHOD = "nmf"
CONCORDANCE_WIDTH = 30
COLLOCATION_WINDOW = 5
KEYWORDS_TOP = 20
ALPHA = 0.05
MIN_COUNT_KEYNESS = 3  # keywords, compare and collocates test a term seen this often
TRENDS_BY = "date:month"  # trends: the date column and the period
TRENDS_TOP = 20  # trends without terms: the terms with the strongest rise
SIMILAR_THRESHOLD = 0.5  # similar: the least Jaccard similarity of character shingles reported
SIMILAR_SHINGLE = 5  # similar: characters per shingle
