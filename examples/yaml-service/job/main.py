import os

print(f"report job {os.environ.get('ANYSCALE_JOB_ID', '?')} ran from the priority queue")
