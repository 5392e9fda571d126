"""The Gradio web UI. It talks only to the services layer."""
