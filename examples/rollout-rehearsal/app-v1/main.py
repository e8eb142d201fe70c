from ray import serve


@serve.deployment
class Scorer:
    def __call__(self, request) -> dict:
        return {"version": "v1", "score": 0.5}


app = Scorer.bind()
