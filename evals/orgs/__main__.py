"""``python -m evals.orgs``: regenerate the fixture orgs' bundle and manifest files."""
from evals.orgs import write_files

for path in write_files():
    print(path)
