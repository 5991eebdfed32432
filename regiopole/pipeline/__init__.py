"""Run the report notebooks and publish them as a self-contained HTML site.

``regiopole run`` executes the notebooks declared in ``notebooks/pipeline.yaml`` in
dependency order, several kernels at a time, skips those whose inputs are unchanged and
records provenance in ``outputs/manifest.json``; ``regiopole publish`` writes
``outputs/html/``. Modules: :mod:`~regiopole.pipeline.spec` (declarations),
:mod:`~regiopole.pipeline.state` (hashes and up-to-date checks),
:mod:`~regiopole.pipeline.manifest`, :mod:`~regiopole.pipeline.runner`,
:mod:`~regiopole.pipeline.execute` (one notebook in one kernel),
:mod:`~regiopole.pipeline.publish`, :mod:`~regiopole.pipeline.progress`,
:mod:`~regiopole.pipeline.cli`.

Importing this package is cheap on purpose: papermill, nbconvert and pandas are imported
only once something has to run, so ``regiopole run`` with nothing changed stays fast.
"""
