"""Standard exports of reports: GeoJSON, CSV for Excel, CAP 1.2 and NGSI-LD.

Each format is a generator of text chunks, so any number of reports streams in bounded memory.
"""

from .cap import cap_alert
from .csv_export import CSV_COLUMNS, csv_chunks
from .geojson import geojson_chunks
from .ngsi import NGSI_CONTEXT, ngsi_chunks, ngsi_entity

__all__ = ["CSV_COLUMNS", "NGSI_CONTEXT", "cap_alert", "csv_chunks", "geojson_chunks", "ngsi_chunks", "ngsi_entity"]
