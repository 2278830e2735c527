// Runtime worker entry: instantiates the module with the WASI imports and runs it, reporting to the host side.
