"""Personal and wellbeing details in notes and feedback: detected where they are written, kept out of drafts."""
