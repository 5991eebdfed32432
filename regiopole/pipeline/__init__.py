"""Run the report notebooks and publish them as a self-contained HTML site.

``regiopole run`` executes the notebooks declared in ``notebooks/pipeline.yaml`` in
dependency order, several kernels at a time, skips those whose inputs are unchanged and
records provenance in ``outputs/manifest.json``; ``regiopole publish`` writes
``outputs/html/``.

Modules: :mod:`~regiopole.pipeline.spec` (the declarations, ordering),
:mod:`~regiopole.pipeline.state` (content hashes, the up-to-date decision),
:mod:`~regiopole.pipeline.manifest` (provenance records), :mod:`~regiopole.pipeline.runner`
(scheduling, worker threads, Ctrl-C), :mod:`~regiopole.pipeline.execute` (one notebook in
one kernel through papermill), :mod:`~regiopole.pipeline.forkserver` (kernels forked from a
process with the common imports done), :mod:`~regiopole.pipeline.publish` (nbconvert HTML),
:mod:`~regiopole.pipeline.site` (index, gallery, publishing state),
:mod:`~regiopole.pipeline.progress`, :mod:`~regiopole.pipeline.files`,
:mod:`~regiopole.pipeline.cli`.

Importing this package is cheap on purpose: papermill, nbconvert and pandas are imported
only once something has to run, so ``regiopole run`` with nothing changed stays fast.
"""

import sys

# jsonschema, which nbformat (so papermill and nbconvert) imports, imports rfc3987_syntax only
# to check the "iri" string format, which no notebook schema uses; that import builds 38
# grammars, 1-1.5 s of CPU in every process that reads or writes a notebook (jsonschema issues
# 1392, 1428). Marked absent, jsonschema skips that one format check. It must come before
# jsonschema is imported, hence here: every module that reads notebooks is in this package.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
