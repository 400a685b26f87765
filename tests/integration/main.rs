//! Integration tests through the command layer.
