"""notebooks/explore.ipynb runs from top to bottom, quietly, and shows what a reader needs."""

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT


@pytest.mark.slow
def test_explore_notebook_runs():
    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]  # no red warnings
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the static figure
    frames = [o.get("data", {}).get("text/html", "") for o in outputs]
    assert any('<iframe' in page and 'height="760"' in page for page in frames)  # the interactive view, uncut
    tables = "".join(frames)
    assert "seeds/sample/it-microsoft-francia.txt" in tables and str(ROOT) not in tables  # provenance as the CLI writes it
    assert "None" not in tables.split("<iframe")[0]  # missing values are <NA>, not None beside NaN
