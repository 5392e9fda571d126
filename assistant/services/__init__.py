"""Services: what MentorPrep does (ingest, retrieval, answering, coaching workflows). The UI and CLI
talk only to this layer."""
