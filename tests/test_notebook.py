"""notebooks/explore.ipynb runs from top to bottom."""

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT


def test_explore_notebook_runs():
    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the static figure
    assert any("<iframe" in o.get("data", {}).get("text/html", "") for o in outputs)  # the interactive view
