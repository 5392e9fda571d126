"""Start the MentorPrep web app: `python app.py` (same as `mentorprep serve`)."""

from assistant.ui.web import launch

if __name__ == "__main__":
    launch()
