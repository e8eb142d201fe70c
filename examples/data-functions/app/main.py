from ray import serve


@serve.deployment
class Catalog:
    def __call__(self, request) -> str:
        return "catalog service (owned by another team in real life)"


app = Catalog.bind()
