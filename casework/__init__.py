"""The whole service, above every app: commands that read all routes at
once (describe_workflows, the generated workflow page)."""
