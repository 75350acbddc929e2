"""Import and export of performance data as a JSON bundle or a folder of CSV files.

The format is described in docs/bundle-format.md.
"""
from tools.bundle.api import ExportReport, ImportReport, export_data, export_path, import_data, import_path
from tools.bundle.errors import BundleError

__all__ = [
    "BundleError", "ExportReport", "ImportReport", "export_data", "export_path", "import_data", "import_path",
]
