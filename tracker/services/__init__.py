"""Use cases of the tracker. The CLI and the dashboard both call these; neither touches the ORM directly."""

from tracker.services.errors import Conflict, ImportRefused, InvalidInput, NotFound, SchemaMissing, TrackerError
from tracker.services.inputs import SourceInput, StatusChangeInput, parse_date
from tracker.services.opendata import export_csv, export_json, export_programme, restore_programme
from tracker.services.programmes import (
    ImportReport,
    get_programme,
    import_programme,
    import_programme_file,
    list_programmes,
    load_metadata,
)
from tracker.services.ratings import find_pledge, latest_change, record_status_change, suggest_codes
from tracker.services.statistics import AreaCount, area_status_counts, last_update, status_counts

__all__ = [
    "AreaCount",
    "Conflict",
    "ImportRefused",
    "ImportReport",
    "InvalidInput",
    "NotFound",
    "SchemaMissing",
    "SourceInput",
    "StatusChangeInput",
    "TrackerError",
    "area_status_counts",
    "export_csv",
    "export_json",
    "export_programme",
    "find_pledge",
    "get_programme",
    "import_programme",
    "import_programme_file",
    "last_update",
    "latest_change",
    "list_programmes",
    "load_metadata",
    "parse_date",
    "record_status_change",
    "restore_programme",
    "status_counts",
    "suggest_codes",
]
