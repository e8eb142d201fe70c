print("hello from an Anyscale job managed by Pulumi")
