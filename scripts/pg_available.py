"""Exit 0 when the PostgreSQL server behind the URL accepts connections."""

import sys

import psycopg

url = sys.argv[1]
base, _, _name = url.rpartition("/")
try:
    with psycopg.connect(f"{base}/postgres", connect_timeout=3):
        pass
except psycopg.Error:
    sys.exit(1)
