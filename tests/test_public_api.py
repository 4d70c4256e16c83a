"""The curated public API and the public seams between packages.

``immunospine.__all__`` is sorted, complete and importable. Every package declares ``__all__``
and every name in it exists. What crosses a package boundary is public: no module imports a
``_private`` module (a module whose name starts with ``_``) of another package; a package's
private modules serve that package and its subpackages only (issue 8 §1, "Public seams").
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import immunospine

SRC = Path(immunospine.__file__).parent
PACKAGES = sorted(
    "immunospine" + "".join(f".{p}" for p in init.parent.relative_to(SRC).parts)
    for init in SRC.rglob("__init__.py")
    if "migrations" not in init.parts  # Alembic's environment: run by Alembic, not imported
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("immunospine", *parts))


def _imported(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (``from a.b import c`` counts ``a.b`` and ``a.b.c``)."""
    out: list[tuple[int, str]] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return out


def private_imports_across_packages() -> list[str]:
    """``file:line imports x._y`` for each private module imported from outside its package."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        importer = _module_name(path)
        package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
        for line, name in _imported(path):
            parts = name.split(".")
            if parts[0] != "immunospine":
                continue
            for i, part in enumerate(parts[1:], start=1):
                if part.startswith("_") and not part.startswith("__"):
                    owner = ".".join(parts[:i])
                    if package != owner and not package.startswith(owner + "."):
                        found.append(f"{path.relative_to(SRC)}:{line} imports {name}")
                    break
    return found


def test_all_is_sorted() -> None:
    assert immunospine.__all__ == sorted(immunospine.__all__)


def test_every_public_name_resolves() -> None:
    for name in immunospine.__all__:
        assert getattr(immunospine, name) is not None, name


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_declares_all_and_every_name_exists(package: str) -> None:
    module = importlib.import_module(package)
    names = getattr(module, "__all__", None)
    assert isinstance(names, list | tuple), f"{package} has no __all__"
    missing = [
        n
        for n in names
        if not hasattr(module, n) and importlib.util.find_spec(f"{package}.{n}") is None
    ]
    assert not missing, f"{package}.__all__ names what it does not define: {missing}"
    assert len(set(names)) == len(names), f"{package}.__all__ lists a name twice"


def test_no_private_module_is_imported_from_another_package() -> None:
    assert private_imports_across_packages() == []


def test_the_check_catches_a_private_import(tmp_path: Path) -> None:
    """The walker itself sees ``from a._b import c`` as importing ``a._b`` and ``a._b.c``."""
    probe = tmp_path / "probe.py"
    probe.write_text("from immunospine.knowledge._spec import CalculatorSpec\n", encoding="utf-8")
    names = [n for _, n in _imported(probe)]
    assert names == ["immunospine.knowledge._spec", "immunospine.knowledge._spec.CalculatorSpec"]


def test_no_module_imports_the_root_package() -> None:
    """The root package re-exports (lazily) from knowledge and services; a module inside the
    package that imports ``immunospine`` itself closes an import cycle (issue 8 §1)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.parent == SRC and path.name == "__init__.py":
            continue
        for line, name in _imported(path):
            if name == "immunospine" or (
                name.count(".") == 1 and name.startswith("immunospine.") and _is_root_name(name)
            ):
                found.append(f"{path.relative_to(SRC)}:{line} imports {name}")
    assert found == []


def _is_root_name(name: str) -> bool:
    """``immunospine.X`` names something defined in the root ``__init__`` (not a module)."""
    leaf = name.split(".")[1]
    return importlib.util.find_spec(name) is None and leaf in immunospine.__all__


def test_import_is_cheap() -> None:
    """Importing the package must not pull in dataframe or database libraries."""
    code = (
        "import sys, immunospine; "
        "heavy = [m for m in ('pandas', 'polars', 'sqlalchemy', 'duckdb', 'ibis', 'pyspark', "
        "'pyarrow', 'alembic', 'fhir', 'jinja2', 'fpdf') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_version_matches_package_metadata() -> None:
    meta = importlib.metadata.version("immunospine")
    assert meta == immunospine.__version__


def test_library_code_names_fields_not_command_line_flags() -> None:
    """Issue 8 §1: errors from the library locate a field (``input``, ``patients``); only the
    command line knows its flags (``--input``) and maps the fields to them."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).parts[0] in ("cli", "docsgen.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple) and node.elts:
                first = node.elts[0]
                if isinstance(first, ast.Constant) and str(first.value).startswith("--"):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} {first.value}")
    assert found == []
