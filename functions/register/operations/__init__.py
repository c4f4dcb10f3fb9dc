"""The register function's operations, one module per group of routes, each imported on the first
authorized request for one of its routes (``app.router.lazy``)."""
