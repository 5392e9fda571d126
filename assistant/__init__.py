"""MentorPrep: an offline, retrieval-augmented assistant for people preparing to work with a mentor."""

__version__ = "0.1.0"
