"""Test helpers shared by the test modules (not shipped in the product)."""
