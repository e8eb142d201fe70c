from ray import serve


@serve.deployment
class Hello:
    def __call__(self, request) -> str:
        return "hello from an Anyscale service managed by Pulumi"


app = Hello.bind()
