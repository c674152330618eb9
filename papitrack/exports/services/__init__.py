"""Writes of the exports app, by subject (each service checks permissions, runs in a
transaction and writes audit entries):

- `spreadsheets`: check a filled Excel template (dry run), commit it through save_report;
- `documents`: ask for a document to be drafted (a DocumentJob, drafted by jobs.py);
- `dhis2`: import DHIS2 data values through the mapping file.
"""

from papitrack.exports.services.dhis2 import (
    DHIS2_NOT_ALLOWED_AT_ALL,
    Dhis2Conflict,
    Dhis2ImportSummary,
    import_dhis2_values,
)
from papitrack.exports.services.documents import (
    NOT_ALLOWED_DOCUMENT,
    NOT_ALLOWED_UNIT,
    UNKNOWN_PERIOD,
    UNKNOWN_UNIT,
    DocumentOptions,
    request_consolidated_report,
    request_document,
    request_unit_plan_template,
    request_unit_report,
)
from papitrack.exports.services.spreadsheets import (
    ALREADY_DONE,
    HAS_ERRORS,
    NO_TEMPLATE,
    NOT_ALLOWED_COMMIT,
    NOT_ALLOWED_SPREADSHEET,
    NOT_YOURS,
    AnswerChange,
    SpreadsheetCheck,
    check_spreadsheet,
    commit_spreadsheet,
    compare_answers,
)

__all__ = [
    "ALREADY_DONE",
    "DHIS2_NOT_ALLOWED_AT_ALL",
    "HAS_ERRORS",
    "NOT_ALLOWED_COMMIT",
    "NOT_ALLOWED_DOCUMENT",
    "NOT_ALLOWED_SPREADSHEET",
    "NOT_ALLOWED_UNIT",
    "NOT_YOURS",
    "NO_TEMPLATE",
    "UNKNOWN_PERIOD",
    "UNKNOWN_UNIT",
    "AnswerChange",
    "Dhis2Conflict",
    "Dhis2ImportSummary",
    "DocumentOptions",
    "SpreadsheetCheck",
    "check_spreadsheet",
    "commit_spreadsheet",
    "compare_answers",
    "import_dhis2_values",
    "request_consolidated_report",
    "request_document",
    "request_unit_plan_template",
    "request_unit_report",
]
