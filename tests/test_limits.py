"""Bounds of the running server: the read cache holds a bounded number of results, an upload is no larger
than the import accepts, and no exception's details reach a browser (issue #11)."""

from __future__ import annotations

import tomllib

from streamlit.runtime.caching.cache_utils import CachedFunc

from dashboard import data
from tests.helpers import ROOT
from tracker import services

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_every_cached_reader_keeps_a_bounded_number_of_results(app_env, herne):
    cached = {name: value for name, value in vars(data).items() if isinstance(value, CachedFunc)}
    assert {"search", "pledge", "overview", "close_codes", "export"} <= set(cached)
    assert {name: reader._info.max_entries for name, reader in cached.items()} == dict.fromkeys(
        cached, data.MAX_ENTRIES
    )
    searches = data.MAX_ENTRIES + 10
    for number in range(searches):  # distinct searches, as many visitors would type them
        data.search(herne, f"wort{number}", None, None, (), 25, 0)
    [kept] = data.search._info.get_function_cache(data.search._function_key).get_stats().values()  # one per result
    assert len(kept) == data.MAX_ENTRIES
    print(f"\n{len(cached)} readers of at most {data.MAX_ENTRIES} results; {searches} searches, {len(kept)} kept")


def test_the_server_takes_no_larger_upload_than_the_import_and_shows_no_error_details():
    assert CONFIG["server"]["maxUploadSize"] * 1024 * 1024 == services.MAX_UPLOAD_BYTES
    assert CONFIG["client"]["showErrorDetails"] == "none"
