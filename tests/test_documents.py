"""Reading documents: Markdown as Markdown, HTML as an article, bad files as one-line errors."""

from pathlib import Path

from kg.documents import read_document

MARKDOWN = """# Ferrovento cresce

Ferrovento investirà 5 milioni di euro in [Lombardia](https://example.org/lombardia).

```
Valcadore investirà 9 miliardi di euro in Sicilia.
```

    Valcadore investirà 3 miliardi di euro in Sardegna.

| azienda | sede |
|---|---|
| Ferrovento | Brescia |
"""

HTML = """<!doctype html><html lang="it"><head><title>Ferrovento</title>
<script>var x = "Valcadore investirà 9 miliardi";</script></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/x">Valcadore investirà 9 miliardi di euro in Sicilia</a></li></ul></nav>
<article><h1>Ferrovento cresce in Lombardia</h1>
<p>Ferrovento investirà 5 milioni di euro in Lombardia per ampliare il suo impianto di Brescia, ha annunciato l'azienda.</p>
<p>Il nuovo reparto darà lavoro a duecento persone entro la fine del prossimo anno, secondo il piano presentato ieri.</p>
</article><footer>Tutti i diritti riservati. Valcadore investirà 3 miliardi di euro in Sardegna (pubblicità)</footer>
</body></html>"""


def read(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return read_document(path, lang="it").text


def test_markdown_keeps_prose_and_drops_code(tmp_path):
    text = read(tmp_path, "a.md", MARKDOWN)
    assert "Ferrovento investirà 5 milioni di euro in Lombardia." in text
    assert "https://" not in text and "Valcadore" not in text  # links keep their text; code blocks go
    assert "Brescia" in text  # table cells stay


def test_html_article_without_navigation_scripts_or_footer(tmp_path):
    text = read(tmp_path, "a.html", HTML)
    assert text.startswith("Ferrovento cresce in Lombardia")
    assert "Ferrovento investirà 5 milioni di euro in Lombardia" in text
    assert "Valcadore" not in text and "Home" not in text


def test_code_in_markdown_gives_no_investment(tmp_path):
    from kg.build import build_graph

    text = "Microsoft investirà 5 milioni di euro in Francia.\n\n```\nAmazon investirà 9 miliardi di euro in Germania.\n```\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    claims = build_graph([tmp_path / "a.md"], lang="it", validate=False).facts.investments
    assert [(c.value, c.currency) for c in claims] == [(5_000_000, "EUR")]


def test_utf16_bom_and_crlf_copies_are_one_document(tmp_path):
    from kg.build import read_documents

    text = "Microsoft investirà 5 milioni di euro in Francia.\nLo ha detto il gruppo a Parigi, in un incontro con la stampa.\n"
    (tmp_path / "plain.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "windows.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    documents, errors = read_documents([tmp_path])
    assert errors == [] and len(documents) == 1 and documents[0].lang == "it"
