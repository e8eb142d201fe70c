from ray import serve


@serve.deployment
class Sentiment:
    def __call__(self, request) -> dict:
        return {"label": "positive", "score": 0.9}


app = Sentiment.bind()
