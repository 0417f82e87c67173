"""Event contracts shared by the producer, the enricher and downstream consumers."""
