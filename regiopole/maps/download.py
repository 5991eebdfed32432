"""The download helper lives in the data layer (``regiopole.data.download``); maps re-exports it."""

from regiopole.data.download import CHUNK, DownloadError, Incomplete, check_zip, download, fetch_once, sha256_of

__all__ = ["CHUNK", "DownloadError", "Incomplete", "check_zip", "download", "fetch_once", "sha256_of"]
