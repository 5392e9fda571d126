"""Coaching workflows: deterministic checks plus LLM wording."""
