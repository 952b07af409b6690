"""One reader for the word-list files users give: stopwords, user dictionaries, seed words, frequency lists.

Each is UTF-8 text (a BOM is fine); a file that is missing, a folder, a device or larger than 64 MB, or not
UTF-8, is one error line naming the file and the option that gave it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kcorpus.errors import KcorpusError, UsageError
from kcorpus.nlp.tags import KIWI_TAGS


@dataclass(frozen=True)
class UserWord:
    form: str
    tag: str
    score: float


WORD_LIST_LIMIT = 64 * 1024 * 1024  # bytes of a stopword, user-dictionary, seed-word or frequency-list file


def read_text_lines(path: Path, what: str, flag: str) -> list[str]:
    """The lines of a UTF-8 word-list file given with `flag`, or a one-line error naming it.

    A device or a file larger than 64 MB (/dev/zero) is refused, never read to the end.
    """
    from kcorpus.io.sources import SourceError, read_limited

    path = Path(path)
    if not path.exists():
        raise UsageError(f"{what} {path} does not exist: check {flag}")
    if path.is_dir():
        raise UsageError(f"{what} {path} is a folder: give a file to {flag}")
    try:
        data = read_limited(path, WORD_LIST_LIMIT, what, "the limit of")
        return data.decode("utf-8-sig").splitlines()
    except SourceError as exc:
        raise KcorpusError(f"cannot read {what} {path}: {exc.message}") from None
    except UnicodeDecodeError as exc:
        raise KcorpusError(
            f"cannot read {what} {path}: not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8 text"
        ) from None


def read_user_dict(path: Path) -> tuple[UserWord, ...]:
    """Parse a Kiwi user dictionary: `form<TAB>tag[<TAB>score]` per line, `#` comments."""
    lines = read_text_lines(path, "user dictionary", "--user-dict")
    words = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        where = f"user dictionary {path} line {number}"
        if len(fields) not in (2, 3) or not fields[0].strip():
            raise KcorpusError(f"{where}: expected 'form<TAB>tag[<TAB>score]', got {line!r}")
        form, tag = fields[0].strip(), fields[1].strip()
        if tag not in KIWI_TAGS:
            raise KcorpusError(f"{where}: unknown tag {tag!r}; use a Kiwi tag such as NNG, NNP or VV")
        try:
            score = float(fields[2]) if len(fields) == 3 and fields[2].strip() else 0.0
        except ValueError:
            raise KcorpusError(f"{where}: score {fields[2]!r} is not a number") from None
        words.append(UserWord(form, tag, score))
    return tuple(words)


def read_stopwords(path: Path) -> frozenset[str]:
    """One term per line; `#` starts a comment."""
    lines = read_text_lines(path, "stopword file", "--stopwords")
    return frozenset(w for w in (line.split("#", 1)[0].strip() for line in lines) if w)


def read_seed_words(path: Path) -> tuple[tuple[str, ...], ...]:
    """One topic per line, its seed terms separated by spaces; blank lines and `#` comments skipped."""
    lines = read_text_lines(Path(path), "seed-word file", "--seed-words")
    topics = []
    for line in lines:
        words = tuple(dict.fromkeys(line.split("#", 1)[0].split()))
        if words:
            topics.append(words)
    if not topics:
        raise UsageError(f"seed-word file {path} holds no terms: write one topic per line, terms separated by spaces")
    return tuple(topics)
