"""Experiments at scale: experiment files and their designs, executors (serial, processes, Dask),
the resumable Parquet store, and the runner that ties them together."""
