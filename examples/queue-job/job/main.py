import os

print(f"job {os.environ.get('ANYSCALE_JOB_ID', '?')} ran from a priority queue")
