"""One loader per sheet kind: `load(importer, sheet)`."""
