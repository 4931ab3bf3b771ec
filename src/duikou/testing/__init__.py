"""Test support (never imported by product code): factories, the Scenario builder, the entity
registry the contract tests loop over, and shared pytest fixtures."""
