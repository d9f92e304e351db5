"""Export and import formats for annotations, one module a format."""
