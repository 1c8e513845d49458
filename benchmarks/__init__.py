"""Benchmarks, run as modules from the repository root: `python -m benchmarks.compare` etc.

Importing the package switches off hub downloads and telemetry before any benchmark imports
chromadb or Hugging Face libraries.
"""

from benchmarks.common import offline

offline()
