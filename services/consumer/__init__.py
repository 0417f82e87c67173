"""Downstream consumption of Rasd's topics: ``rasd tail``, the demo and the tests read with it."""
