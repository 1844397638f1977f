"""What the deployment's database holds beside Rasa's events, read without loading Rasa: the
hand-off records the nurse line opens, and how long anything is kept."""
