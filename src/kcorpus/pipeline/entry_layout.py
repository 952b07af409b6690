"""The fourth layout of a token store entry: what the tokens already say is not stored twice.

    ENTRY4 | u32 length of part A | zstd( part A ) | zstd( part B )
    part A: u32 length of meta, u32 strings, u32 length of their text, u32 length of the rest of the text |
            meta JSON (key, token count, the cleaned text's fields but its text) | the string table's text
            (UTF-8, one after another) | the cleaned text without the tokens copied from the string table
    part B: columns, each a NumPy type code and the values in the narrowest integer type: each string's
            length in characters; form ids; u32 count and the distinct tag ids; each token's tag as a
            number among them; lemma ids; whether the token's text is its form (then it is left out of
            the text); its gap after the previous token's end; its length less its form's length;
            paragraph and sentence steps.

A token is copied from the string table when its span of the cleaned text is its form and starts at or
after the end of every earlier such token. Text and columns are compressed apart: mixed, zstd codes
Hangul and small numbers with one table and both grow.
"""

from __future__ import annotations

import json
import struct
from itertools import chain

import numpy as np

from kcorpus.nlp.tokens import DocTokens
from kcorpus.pipeline.compression import pack, unpack

ENTRY4 = b"KCE4"  # neither a zstd frame nor a zlib stream starts so
_HEAD = struct.Struct("<IIIII")
_DTYPES: dict[str, np.dtype] = {np.dtype(d).char: np.dtype(d) for d in ("<i1", "<u1", "<i2", "<u2", "<i4")}


def narrowest(values: np.ndarray) -> np.ndarray:
    """The values in the narrowest of int8, uint8, int16, uint16, int32 that holds them."""
    low, high = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    for dtype in ("<i1", "<u1", "<i2", "<u2"):
        info = np.iinfo(np.dtype(dtype))
        if info.min <= low and high <= info.max:
            return values.astype(dtype)
    return values.astype("<i4")


def column_bytes(values: np.ndarray) -> bytes:
    narrow = narrowest(np.asarray(values))
    return narrow.dtype.char.encode("ascii") + narrow.tobytes()


def column_at(data: bytes, at: int, count: int) -> tuple[np.ndarray, int]:
    """A column of `count` values at `at` (its type code, then the values) and where the next one starts."""
    dtype = _DTYPES.get(chr(data[at]) if 0 <= at < len(data) else "")
    if dtype is None or count < 0 or at + 1 + count * dtype.itemsize > len(data):
        raise ValueError("unknown column type or column cut short")
    return np.frombuffer(data, dtype=dtype, count=count, offset=at + 1), at + 1 + count * dtype.itemsize


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _from_code_points(points: np.ndarray) -> str:
    return points.tobytes().decode("utf-32-le", "surrogatepass")


def _spans(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ... of each span, spans one after another."""
    before = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return np.repeat(starts.astype(np.int64) - before, sizes) + np.arange(int(sizes.sum()), dtype=np.int64)


def _starts(sizes: np.ndarray, apart: bool) -> np.ndarray:
    """Where each string starts in the string table's text (NUL after each when `apart`)."""
    return np.concatenate([[0], np.cumsum(sizes + int(apart))[:-1]]).astype(np.int64)


def _copied(text: np.ndarray, points: np.ndarray, starts: np.ndarray, sizes: np.ndarray, tokens: DocTokens):
    """Whether each token's text is its form, at or after the end of every earlier token so found."""
    start, end, form = (tokens.start.astype(np.int64), tokens.end.astype(np.int64), tokens.form.astype(np.int64))
    size = np.where(form >= 0, sizes[form] if len(sizes) else 0, -1)
    maybe = (start >= 0) & (end <= len(text)) & (end > start) & (end - start == size)
    where = np.flatnonzero(maybe)
    lengths = size[where]
    differs = text[_spans(start[where], lengths)] != points[_spans(starts[form[where]], lengths)]
    bad = np.add.reduceat(differs, np.concatenate([[0], np.cumsum(lengths)[:-1]])) if len(where) else differs
    maybe[where[bad > 0]] = False
    ends = np.where(maybe, end, 0)
    earlier = np.concatenate([[0], np.maximum.accumulate(ends)[:-1]])
    return maybe & (start >= earlier)


NUMBER_FIELDS = ("paragraphs", "line_offsets", "line_numbers")  # of the cleaned text: stored as columns


def _flat_ints(values, pairs: bool) -> list[int] | None:
    """The numbers of a list of int32s (of [int, int] lists if `pairs`) one after another; None for anything
    else, which stays in the JSON head."""
    if not isinstance(values, list):
        return None
    if pairs:
        if not set(map(type, values)) <= {list} or not set(map(len, values)) <= {2}:
            return None
        values = list(chain.from_iterable(values))
    if not set(map(type, values)) <= {int} or (values and not -(2**31) <= min(values) <= max(values) < 2**31):
        return None
    return values


def _palette(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct values in order, each value's number among them)."""
    if not len(values) or int(values.min()) < 0:
        palette, number = np.unique(values, return_inverse=True)
        return palette, number.reshape(-1)
    palette = np.flatnonzero(np.bincount(values))
    number = np.zeros(len(palette) and int(palette[-1]) + 1, dtype=np.int64)
    number[palette] = np.arange(len(palette))
    return palette, number[values]


def _steps(values: np.ndarray) -> np.ndarray:
    """Each value less the one before it (the first as it is)."""
    values = np.asarray(values, dtype=np.int64)
    return np.concatenate((values[:1], values[1:] - values[:-1]))


def encode_entry4(key: str, cleaned: dict, tokens: DocTokens) -> bytes:
    """An entry of the fourth layout (see the module docstring)."""
    cleaned = dict(cleaned)
    text = str(cleaned.pop("text", ""))
    found = {name: _flat_ints(cleaned[name], name == "paragraphs") for name in NUMBER_FIELDS if name in cleaned}
    numbers = {name: values for name, values in found.items() if values is not None}
    moved = {name: len(values) for name, values in numbers.items()}
    cleaned.update(dict.fromkeys(moved, 0))  # kept as a place in the dict; the values go to part B
    head = {"key": key, "n": len(tokens), "cleaned": cleaned, "moved": moved}
    meta = json.dumps(head, ensure_ascii=False).encode("utf-8")
    joined = "\0".join(tokens.strings)
    apart = joined.count("\0") == max(len(tokens.strings) - 1, 0)  # then NUL parts the strings, sizes not stored
    joined = joined if apart else "".join(tokens.strings)
    sizes = np.fromiter(map(len, tokens.strings), dtype=np.int64, count=len(tokens.strings))
    starts = _starts(sizes, apart)
    text_points = _code_points(text)
    copied = _copied(text_points, _code_points(joined), starts, sizes, tokens)
    keep = np.ones(len(text_points), dtype=bool)
    start = tokens.start.astype(np.int64)
    keep[_spans(start[copied], (tokens.end.astype(np.int64) - start)[copied])] = False
    rest = _from_code_points(text_points[keep]).encode("utf-8", "surrogatepass")
    strings = joined.encode("utf-8", "surrogatepass")
    part_a = _HEAD.pack(len(meta), len(sizes), apart, len(strings), len(rest)) + meta + strings + rest
    end = tokens.end.astype(np.int64)
    palette, tag_number = _palette(tokens.tag)
    form_size = _form_sizes(tokens.form, sizes)
    columns = [
        b"" if apart else column_bytes(sizes),
        column_bytes(tokens.form),
        struct.pack("<I", len(palette)) + column_bytes(palette),
        column_bytes(tag_number),
        column_bytes(tokens.lemma),
        column_bytes(start - np.concatenate([[0], end[:-1]])),
        column_bytes(np.where(copied, 0, _shift_up(end - start - form_size))),
        column_bytes(_steps(tokens.paragraph)),
        column_bytes(_steps(tokens.sentence)),
    ]
    values = np.array(list(chain.from_iterable(numbers.values())), dtype=np.int64)
    columns.append(column_bytes(_steps(values)))
    packed = pack(part_a)
    return ENTRY4 + struct.pack("<I", len(packed)) + packed + pack(b"".join(columns))


def _form_sizes(form: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Each token's form's size in characters (0 for no form, -1)."""
    return np.where(form >= 0, sizes[form] if len(sizes) else 0, 0)


def _shift_up(values: np.ndarray) -> np.ndarray:
    """Values with 0 and above one higher (0 then says "copied"); `_shift_down` undoes it."""
    return values + (values >= 0)


def _shift_down(values: np.ndarray) -> np.ndarray:
    return values.astype(np.int64) - (values > 0)


def _part_a(blob: bytes) -> tuple[dict, int, bool, bytes, bytes, bytes]:
    """(meta, strings, whether NUL parts them, their text, the rest of the cleaned text, part B packed)."""
    if len(blob) < 8:
        raise ValueError("entry cut short")
    (size,) = struct.unpack_from("<I", blob, 4)
    if 8 + size > len(blob):
        raise ValueError("entry cut short")
    data = unpack(blob[8 : 8 + size])
    if len(data) < _HEAD.size:
        raise ValueError("entry cut short")
    meta_size, n_strings, apart, strings_size, rest_size = _HEAD.unpack_from(data)
    at = _HEAD.size + meta_size
    if at + strings_size + rest_size != len(data) or apart > 1:
        raise ValueError("entry does not add up")
    meta = json.loads(data[_HEAD.size : at].decode("utf-8"))
    strings = data[at : at + strings_size]
    return meta, n_strings, bool(apart), strings, data[at + strings_size :], blob[8 + size :]


def _table(joined: str, n_strings: int, apart: bool, data: bytes):
    """(strings, the code points of `joined`, where each string starts in them, their sizes, where part B's
    token columns start)."""
    points = _code_points(joined)
    if apart:
        strings = joined.split("\0") if n_strings else []
        if len(strings) != n_strings or (not n_strings and joined):
            raise ValueError("string table does not add up")
        if not n_strings:
            return strings, points, np.zeros(0, np.int64), np.zeros(0, np.int64), 0
        ends = np.concatenate((np.flatnonzero(points == 0), [len(points)]))
        starts = np.concatenate([[0], ends[:-1] + 1])
        return strings, points, starts, ends - starts, 0
    column, at = column_at(data, 0, n_strings)
    sizes = column.astype(np.int64)
    ends = np.cumsum(sizes).tolist()
    if (ends[-1] if ends else 0) != len(joined) or (n_strings and int(sizes.min()) < 0):
        raise ValueError("string table does not add up")
    strings = [joined[start:end] for start, end in zip([0, *ends[:-1]], ends)]
    return strings, points, _starts(sizes, False), sizes, at


def _put_back(meta: dict, data: bytes, at: int) -> int:
    """Put the numbers of the cleaned text kept in part B (at `at`) back in place; where the column ends."""
    cleaned, moved = meta["cleaned"], meta["moved"]
    if not set(moved) <= set(NUMBER_FIELDS) & set(cleaned) or min(moved.values(), default=0) < 0:
        raise ValueError("entry does not add up")
    column, at = column_at(data, at, sum(moved.values()))
    values, done = np.cumsum(column, dtype=np.int64).tolist(), 0
    for name, count in moved.items():
        part = values[done : done + count]
        cleaned[name] = [part[i : i + 2] for i in range(0, count, 2)] if name == "paragraphs" else part
        done += count
    return at


def strings4(blob: bytes) -> tuple[dict, list[str]]:
    """(meta, string table) of an entry of the fourth layout."""
    meta, n_strings, apart, joined, _, packed = _part_a(blob)
    data = b"" if apart else unpack(packed)
    return meta, _table(joined.decode("utf-8", "surrogatepass"), n_strings, apart, data)[0]


def decode_entry4(blob: bytes) -> tuple[dict, str, DocTokens]:
    """(meta, cleaned text, tokens) of an entry of the fourth layout."""
    meta, n_strings, apart, joined_bytes, rest_bytes, packed = _part_a(blob)
    data = unpack(packed)
    n = int(meta["n"])
    joined = joined_bytes.decode("utf-8", "surrogatepass")
    strings, points, starts, sizes, at = _table(joined, n_strings, apart, data)
    columns = []
    for count in (n, -4, n, n, n, n, n, n):  # -4: u32 count of the next column
        if count < 0:
            if at + 4 > len(data):
                raise ValueError("entry cut short")
            (count,) = struct.unpack_from("<I", data, at)
            at += 4
        column, at = column_at(data, at, count)
        columns.append(column)
    if _put_back(meta, data, at) != len(data):
        raise ValueError("token columns have the wrong length")
    form, palette, tag_number, lemma, gap, code, paragraph, sentence = columns
    if n and (int(lemma.max()) >= n_strings or int(form.min()) < -1):
        raise ValueError("token columns point past their tables")
    try:
        return meta, *_tokens(strings, points, starts, sizes, rest_bytes, columns)
    except IndexError:  # a form or tag past its table, a copied form past the string table's text
        raise ValueError("token columns point past their tables") from None


def _tokens(strings, points, starts, sizes, rest_bytes, columns) -> tuple[str, DocTokens]:
    """(cleaned text, tokens) from the string table and the token columns."""
    form, palette, tag_number, lemma, gap, code, paragraph, sentence = columns
    form_size = sizes[form] if len(form) and form.min() >= 0 else _form_sizes(form, sizes)
    extra = _shift_down(code)
    end = np.cumsum(gap + extra + form_size)
    start = end - extra - form_size
    rest = rest_bytes.decode("utf-8", "surrogatepass")
    copied = code == 0
    text = _rebuild(rest, points, starts[form[copied]], start[copied], end[copied]) if copied.any() else rest
    tokens = DocTokens(
        strings,
        form.astype(np.int32),
        palette.astype(np.int32)[tag_number],
        lemma.astype(np.int32),
        start.astype(np.int32),
        end.astype(np.int32),
        np.cumsum(paragraph, dtype=np.int32),
        np.cumsum(sentence, dtype=np.int32),
    )
    return text, tokens


def _rebuild(rest: str, points: np.ndarray, sources: np.ndarray, start: np.ndarray, end: np.ndarray) -> str:
    """The cleaned text: the copied tokens' forms (at `sources` in the string table's code `points`) put back
    between the runs of the rest; each character's place in points + rest is its own place plus the shift
    of its run."""
    lengths = end - start
    before = np.concatenate([[0], np.cumsum(lengths)])  # copied characters before each run of the rest
    total = len(rest) + int(before[-1])
    runs = np.empty(2 * len(start) + 1, dtype=np.int64)  # a run of the rest, a copied form, ..., the rest's tail
    runs[0::2] = np.concatenate([start, [total]]) - np.concatenate([[0], end])
    runs[1::2] = lengths  # np.repeat refuses a negative run (ValueError)
    shift = np.empty_like(runs)
    shift[0::2] = len(points) - before
    shift[1::2] = sources - start
    places = np.repeat(shift, runs) + np.arange(total)
    return _from_code_points(np.concatenate([points, _code_points(rest)])[places])
