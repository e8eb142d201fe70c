# A regression that only shows under traffic: every second request raises.
from ray import serve


@serve.deployment
class Scorer:
    def __init__(self):
        self.requests = 0

    def __call__(self, request) -> dict:
        self.requests += 1
        if self.requests % 2 == 0:
            raise ValueError("scorer v2: feature 'age' missing from the request")
        return {"version": "v2", "score": 0.7}


app = Scorer.bind()
