// Compiles nothing of its own: this target exists to build the shared precompiled header.
