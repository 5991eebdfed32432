"""The data layer: reading, validating and describing input data. It knows no analysis."""

from regiopole.data.dataset import DatasetInfo, data_file, dataset_info
from regiopole.data.errors import DataValidationError, Problem
from regiopole.data.io import read_table, read_yaml
from regiopole.data.reference import load_applications, load_maturity_levels, load_municipalities, load_regiopolen
from regiopole.data.region import Region, load_region
from regiopole.data.validation import validate

__all__ = [
    "DataValidationError", "DatasetInfo", "Problem", "Region", "data_file", "dataset_info",
    "load_applications", "load_maturity_levels", "load_municipalities", "load_regiopolen",
    "load_region", "read_table", "read_yaml", "validate",
]
