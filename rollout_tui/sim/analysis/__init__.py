"""Simulated AnalysisRuns: a safe condition evaluator, simulated metric providers, the run controller."""
