"""Data-quality gates: Great Expectations checkpoints over raw tables and marts, and Snowflake portability checks."""
