"""export_results.py's parts: tables (a result file as flat tables), csv_files and workbook (writing them),
cli (the command line and its outputs)."""
