"""Components: the engines MentorPrep is built on (LLM, embeddings, vector store, model files)."""
