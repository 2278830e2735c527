// Standalone debug adapter: the DAP session over stdin/stdout, for tests and for other editors' DAP clients.
