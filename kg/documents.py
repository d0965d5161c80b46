"""Source documents: find files, read them safely, detect their language."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import py3langid

SUFFIXES = (".txt", ".md", ".html", ".htm")
# A long report is 100,000 characters; spaCy's own limit is 1,000,000, and memory and time grow with
# length (a 950,000-character file took 5 minutes and 3.6 GB), so longer files are skipped with a reason.
MAX_CHARACTERS = 300_000


class DocumentError(Exception):
    """A document that cannot be used; str() is a one-line message naming the file."""

    def __init__(self, path: Path | str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem


@dataclass(frozen=True)
class SourceDocument:
    name: str
    text: str
    lang: str
    content_hash: str

    @property
    def doc_id(self) -> str:
        return self.content_hash[:16]

    def without_text(self) -> SourceDocument:
        """The same document, its text dropped until needed: a corpus is listed without holding it."""
        return replace(self, text="")

    def with_text(self) -> SourceDocument:
        """The document with its text, read again from its file if it was dropped; DocumentError
        if the file is gone or no longer holds the text that was listed."""
        if self.text:
            return self
        again = read_document(Path(self.name), lang=self.lang)
        if again.content_hash != self.content_hash:
            raise DocumentError(self.name, "changed while the build ran; skipped (build again to include it)")
        return again


def find_documents(paths: Iterable[Path | str]) -> Iterator[Path | DocumentError]:
    """Yield document files under `paths` (recursively, sorted), or an error per missing path."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            yield path
        else:
            yield DocumentError(path, "no such file or folder")


def supported_languages() -> tuple[str, ...]:
    """The languages invest-kg reads, as the lexicon lists them (lex:reads-language)."""
    from kg.lexicon import load_lexicon

    return tuple(sorted(load_lexicon().word_sets.get("reads-language", {})))


def read_document(path: Path, lang: str | None = None, supported: tuple[str, ...] | None = None) -> SourceDocument:
    """Read one file as a SourceDocument; raise DocumentError with a one-line reason."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(path, f"cannot read ({error.strerror})") from error
    if not data.strip():
        raise DocumentError(path, "empty file")
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Windows tools write these
            text = data.decode("utf-16")
        elif b"\x00" in data:
            raise DocumentError(path, "binary file (contains NUL bytes), expected UTF-8 text")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(path, f"invalid {error.encoding.upper()} at byte {error.start}") from error
    text = text.replace("\r\n", "\n")
    if path.suffix.lower() in (".html", ".htm"):
        text = html_to_text(text)
    elif path.suffix.lower() == ".md":
        text = markdown_to_text(text)
    if not text.strip():
        raise DocumentError(path, "no text content")
    if len(text) > MAX_CHARACTERS:
        raise DocumentError(path, f"{len(text):,} characters, more than the {MAX_CHARACTERS:,} an article has; skipped (split it into parts)")
    detected = lang or detect_language(text)
    supported = supported or supported_languages()
    if detected not in supported:
        raise DocumentError(path, f"language '{detected}' is not supported (supported: {', '.join(supported)}); skipped")
    # the hash of the text as read (no BOM, LF line ends): the same article saved by another tool is one document
    return SourceDocument(
        name=source_name(path), text=text, lang=detected, content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()
    )


def source_name(path: Path) -> str:
    """The name provenance records: relative to the working folder when the file is inside it, so
    that "seeds/sample" and "/home/me/invest-kg/seeds/sample" give the same graph."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid over the first 1,000 characters, plenty
    for a language and 5x cheaper than 5,000 on news articles)."""
    lang, _score = py3langid.classify(text[:1000])
    return lang


class _TextExtractor(HTMLParser):
    """Collect visible text, one block element per paragraph; drop scripts and styles."""

    SKIP = {"script", "style", "noscript", "template", "head"}
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def markdown_to_text(markdown: str) -> str:
    """The prose of a Markdown file (CommonMark with tables): headings, paragraphs, list items and
    table cells as paragraphs, link texts without their addresses; code blocks are no prose and go."""
    from markdown_it import MarkdownIt

    blocks = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type == "inline":
            text = "".join(child.content for child in token.children or () if child.type in ("text", "code_inline"))
            if text.strip():
                blocks.append(" ".join(text.split()))
    return "\n\n".join(blocks)


def html_to_text(html: str) -> str:
    """The article text of an HTML page: trafilatura drops navigation, menus and boilerplate;
    a page it finds no article in is read whole, block by block."""
    import trafilatura

    article = trafilatura.extract(html, include_comments=False, include_tables=True, deduplicate=True)
    if article and article.strip():
        return "\n\n".join(" ".join(p.split()) for p in article.split("\n") if p.strip())
    return all_visible_text(html)


def all_visible_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    paragraphs = (" ".join(block.split()) for block in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)
