import pytest
import spacy

import kg.nlp as nlp_module
from kg.documents import DocumentError, read_document
from kg.nlp import ModelError, choose_pipeline, load_pipeline, parse_model_options


@pytest.fixture
def tiny_pipeline(tmp_path):
    """A saved pipeline whose ruler tags 'Acme' as ORG, standing in for a real model."""
    nlp = spacy.blank("it")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Acme"}])
    nlp.meta["name"] = "tiny"
    path = tmp_path / "tiny"
    nlp.to_disk(path)
    return path


def test_no_models_means_rules_only(monkeypatch, tmp_path):
    monkeypatch.setattr(nlp_module, "BUNDLED", tmp_path / "none")
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    choice = choose_pipeline("it")
    assert (choice.source, choice.path) == ("rules", None)


def install_fake_official_model(site, name: str, version: str = "3.8.0") -> None:
    """A minimal installed pipeline package (module, data folder, dist-info) standing in for an
    official spaCy model: what `pip install it_core_news_sm` leaves in site-packages."""
    nlp = spacy.blank("it")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Officiale"}])
    lang, _, short = name.partition("_")
    nlp.meta.update(name=short, version=version)
    package = site / name
    (package / f"{name}-{version}").mkdir(parents=True)
    nlp.to_disk(package / f"{name}-{version}")
    (package / "meta.json").write_text((package / f"{name}-{version}" / "meta.json").read_text())
    (package / "__init__.py").write_text(
        "from spacy.util import load_model_from_init_py\n\n\ndef load(**overrides):\n"
        "    return load_model_from_init_py(__file__, **overrides)\n"
    )
    dist = site / f"{name}-{version}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (dist / "top_level.txt").write_text(name + "\n")


def test_resolution_order(monkeypatch, tmp_path, tiny_pipeline):
    bundled = tmp_path / "bundled"
    (bundled / "it").mkdir(parents=True)
    spacy.blank("it").to_disk(bundled / "it")
    monkeypatch.setattr(nlp_module, "BUNDLED", bundled)
    assert choose_pipeline("it").source == "bundled"

    site = tmp_path / "site"
    site.mkdir()
    install_fake_official_model(site, "it_core_news_md")
    monkeypatch.syspath_prepend(str(site))
    installed = choose_pipeline("it")
    assert (installed.source, installed.name, installed.version) == ("installed", "it_core_news_md", "3.8.0")
    nlp = load_pipeline(installed)  # loads the package by name, then adds invest-kg's components
    assert [(e.text, e.label_) for e in nlp("La Officiale apre a Parigi.").ents] == [("Officiale", "ORG"), ("Parigi", "LOC")]

    install_fake_official_model(site, "it_core_news_lg")
    assert choose_pipeline("it").name == "it_core_news_lg"  # the largest installed model wins

    user = choose_pipeline("it", str(tiny_pipeline))
    assert (user.source, user.name) == ("user", "tiny")
    assert choose_pipeline("it", "it_core_news_md").source == "user"  # a named package beats the larger one
    assert (choose_pipeline("it", "rules").path, choose_pipeline("it", "rules").source) == (None, "user")


def test_user_pipeline_loads_with_invest_components(tiny_pipeline):
    nlp = load_pipeline(choose_pipeline("it", str(tiny_pipeline)))
    assert nlp.pipe_names[-11:] == ["catalogue", "datelines", "names", "capitalised", "name_kinds", "name_cues", "institution_names",
                                    "entity_filter", "aliases", "repeated_names", "money"]
    doc = nlp("Acme investe 5 milioni di euro a Parigi.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Acme", "ORG"), ("Parigi", "LOC")]


def test_model_options():
    assert parse_model_options(["it=it_core_news_lg", "de=/tmp/x"]) == {"it": "it_core_news_lg", "de": "/tmp/x"}
    with pytest.raises(ModelError, match="LANG=NAME_OR_PATH"):
        parse_model_options(["it_core_news_lg"])


def test_html_documents_are_read_as_text(tmp_path):
    page = tmp_path / "a.html"
    page.write_text(
        "<html><head><title>t</title><script>var x = 1;</script></head><body>"
        "<h1>Microsoft investe in Francia</h1><p>Il gruppo investirà 4 miliardi di dollari in Francia.</p></body></html>"
    )
    document = read_document(page)
    assert document.lang == "it"
    assert document.text == "Microsoft investe in Francia\n\nIl gruppo investirà 4 miliardi di dollari in Francia."


def test_unsupported_language_names_the_file(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Este es un texto breve en español sobre las inversiones de las empresas europeas.")
    with pytest.raises(DocumentError, match=r"note.txt: language 'es' is not supported \(supported: de, fr, it\)"):
        read_document(note)


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("it", "Il sindaco Giuseppe Verdi ha incontrato a Bologna i dirigenti della Banca Popolare dell'Emilia.",
         {("Giuseppe Verdi", "PER"), ("Bologna", "LOC")}),
        ("de", "Der Bürgermeister Thomas Müller besuchte am Montag die Siemens AG in München.",
         {("Thomas Müller", "PER"), ("München", "LOC")}),
    ],
)
def test_bundled_pipelines_load_offline_and_find_entities(lang, text, expected):
    path = nlp_module.BUNDLED / lang
    nlp = spacy.load(path)  # plain spacy.load, no invest-kg components, no network
    assert nlp.meta["name"] == "invest_ner" and set(nlp.get_pipe("ner").labels) == {"PER", "LOC", "ORG"}
    found = {(e.text, e.label_) for e in nlp(text).ents}
    assert expected <= found, found
    assert nlp.meta["performance"]["held_out"]  # the model card's scores travel with the pipeline


def test_the_bundled_italian_ner_reads_its_name_lists_in_a_process_that_never_imports_kg():
    """The name-list component and embedding are found through the package's entry points."""
    import subprocess
    import sys

    script = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); "
              "doc = nlp('Il sindaco Giuseppe Verdi ha incontrato a Bologna i dirigenti.'); "
              "marks = doc.user_data['invest_name_features']; "
              "print(nlp.pipe_names[0], sum(1 for m in marks if m), [(e.text, e.label_) for e in doc.ents])")
    shown = subprocess.run([sys.executable, "-c", script, str(nlp_module.BUNDLED / "it")],
                           capture_output=True, text=True, check=True).stdout
    first, marked = shown.split()[:2]
    assert first == "name_features" and int(marked) >= 3  # Giuseppe, Verdi, Bologna at least
    assert "('Giuseppe Verdi', 'PER')" in shown and "('Bologna', 'LOC')" in shown


def test_a_saved_pipeline_loads_with_plain_spacy_load(tmp_path):
    """The invest_* components are spaCy factories found through entry points: a saved pipeline
    loads in a process that never imports kg itself."""
    import subprocess
    import sys

    from kg.nlp import pipeline_for

    pipeline_for("de").to_disk(tmp_path / "de")
    script = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); "
              "doc = nlp('Das Start-up Blaukraut erhält 5 Millionen Euro.'); "
              "print(nlp.pipe_names[-1], [(e.text, e.label_) for e in doc.ents], len(doc.spans['money']))")
    shown = subprocess.run([sys.executable, "-c", script, str(tmp_path / "de")], capture_output=True, text=True, check=True).stdout
    assert shown.split()[0] == "money" and "('Blaukraut', 'ORG')" in shown and shown.strip().endswith("1")
