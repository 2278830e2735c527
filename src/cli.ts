// The wasi-debug command line: runs a module or a launch configuration through the same worker runtime as F5.
