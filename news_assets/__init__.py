"""News warehouse: Chinese news pages -> articles -> normalised facts -> DuckDB."""

__version__ = "0.1.0"
